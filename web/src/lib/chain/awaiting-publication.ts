import type { PublishedDay } from '@qingling/shared/chain-heads/chain-heads.ts';

/**
 * Heads are read from the ledger's index just after `publishedAt`, which may lag the log by
 * moments: a record written this close before a publication may still have missed it.
 */
const indexLagMs = 60_000;

/**
 * Whether a log that verifies but carries no inclusion proof is simply newer than the
 * latest publication: its first record was written after that day's heads were read (or no
 * day has been published yet). Such a log is provable after the next daily publication. A
 * log with a record from before the latest publication and no proof is not: its history
 * may have been rewritten since. `days` is the public list, newest first.
 */
export function awaitsPublication(
  events: readonly { at: string }[],
  days: readonly PublishedDay[],
): boolean {
  const [latest] = days;
  if (!latest) return true;
  const first = Date.parse(events[0]?.at ?? '');
  if (Number.isNaN(first)) return false;
  return first >= Date.parse(latest.publishedAt) - indexLagMs;
}
