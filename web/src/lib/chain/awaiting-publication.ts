import type { PublishedDay } from '@qingling/shared/chain-heads/chain-heads.ts';

/**
 * Heads are read from the ledger's index just after `publishedAt`, which may lag the log by
 * moments: a record written this close before a publication may still have missed it.
 */
const indexLagMs = 60_000;
/** How far ahead of the reader's clock a record's time may be (clocks differ). */
const clockLeewayMs = 10 * 60_000;

/**
 * Whether a log that verifies but carries no inclusion proof may simply be newer than the
 * latest publication: its first record was written after that day's heads were read (or no
 * day has been published yet), its times run in order, and none is in the future. Such a
 * log cannot be proved yet, only after the next daily publication. The times are the log's
 * own, which whoever rewrote a history could set too: the page says so, and names the first
 * record's time, which a reader who knows the hazard is older can see is wrong. A log with
 * a record from before the latest publication and no proof is an alarm. `days` is the
 * public list, newest first. Returns the first record's time, or null for the alarm.
 */
export function awaitsPublication(
  events: readonly { at: string }[],
  days: readonly PublishedDay[],
  now: Date = new Date(),
): string | null {
  const times = events.map((event) => Date.parse(event.at));
  const [first] = times;
  if (first === undefined || times.some((time) => Number.isNaN(time))) return null;
  if (times.some((time, index) => index > 0 && time < (times[index - 1] as number))) return null;
  if ((times.at(-1) as number) > now.getTime() + clockLeewayMs) return null;
  const [latest] = days;
  if (latest && first < Date.parse(latest.publishedAt) - indexLagMs) return null;
  return (events[0] as { at: string }).at;
}
