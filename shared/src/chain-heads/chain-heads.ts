import { addCalendarDays, cstDate } from '../calendar/calendar.ts';
import { genesisHash, type RecordedEvent, verifyChain } from '../event-log/event-log.ts';
import { hazardStream } from '../hazards/hazard.ts';

/**
 * Each day's chain heads (每日链头公示): once a CST day has ended, the head of every
 * hazard's log (its last sequence and that event's hash) is published, together with a
 * digest over all of them that also covers the previous published day's digest. Anyone who
 * kept a published day can later check a hazard's exported log against it: a log whose
 * history was rewritten no longer holds the published hash at the published sequence, and
 * a published day that was rewritten breaks the digest of every day after it. Pure.
 */

/** One hazard's log as it stood when the day was published. */
export interface ChainHead {
  hazardId: string;
  /** The sequence of the log's last event (the state item's `version`). */
  sequence: number;
  /** That event's hash. */
  head: string;
}

/** A published day: what the public list shows and what the digest chain links. */
export interface PublishedDay {
  /** The CST date (YYYY-MM-DD) whose end the publication followed. */
  date: string;
  digest: string;
  /** The digest of the day published before this one (genesisDigest for the first). */
  previousDigest: string;
  /** How many hazards' heads the day holds. */
  count: number;
  /** How many pages of at most `pageSize` heads they are stored and served in. */
  pages: number;
  pageSize: number;
  /** When the heads were read: they are the logs as they stood then. */
  publishedAt: string;
}

/** The previous digest of the first published day. */
export const genesisDigest = genesisHash;

/** Heads per stored page: ~100 bytes each keeps a page far below DynamoDB's 400 KB item limit. */
export const headsPageSize = 2000;

/** The date a publication at `now` is for: the CST day that ended most recently. */
export function lastEndedDay(now: Date): string {
  return addCalendarDays(cstDate(now), -1);
}

/** Heads in the order the digest covers them: by hazard id, byte order (ids are ASCII). */
export function sortHeads(heads: readonly ChainHead[]): ChainHead[] {
  return [...heads].sort((a, b) =>
    a.hazardId < b.hazardId ? -1 : a.hazardId > b.hazardId ? 1 : 0,
  );
}

/**
 * The text the digest is the SHA-256 of: a first line `${date} ${previousDigest}`, then one
 * line `${hazardId} ${sequence} ${head}` per hazard in hazard id order, each ending in \n.
 */
export function digestText(
  date: string,
  previousDigest: string,
  heads: readonly ChainHead[],
): string {
  const lines = [`${date} ${previousDigest}\n`];
  for (const { hazardId, sequence, head } of sortHeads(heads)) {
    lines.push(`${hazardId} ${sequence} ${head}\n`);
  }
  return lines.join('');
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The day's digest: see digestText. */
export function dayDigest(
  date: string,
  previousDigest: string,
  heads: readonly ChainHead[],
): Promise<string> {
  return sha256Hex(digestText(date, previousDigest, heads));
}

/** Splits sorted heads into the pages they are stored and served in (page 1 first). */
export function pagesOf(heads: readonly ChainHead[], size = headsPageSize): ChainHead[][] {
  const pages: ChainHead[][] = [];
  for (let start = 0; start < heads.length; start += size) {
    pages.push(heads.slice(start, start + size));
  }
  return pages;
}

export type DayCheck =
  | { valid: true }
  | { valid: false; reason: 'digest_differs' | 'count_differs' | 'not_linked'; date: string };

/**
 * Checks published days, oldest first, with all their heads: each day's digest is
 * recomputed from its heads and previous digest, and each day names the one before it.
 */
export async function verifyDays(
  days: readonly (PublishedDay & { heads: readonly ChainHead[] })[],
): Promise<DayCheck> {
  let previous: string | null = null;
  for (const day of days) {
    if (previous !== null && day.previousDigest !== previous) {
      return { valid: false, reason: 'not_linked', date: day.date };
    }
    if (day.heads.length !== day.count) {
      return { valid: false, reason: 'count_differs', date: day.date };
    }
    if ((await dayDigest(day.date, day.previousDigest, day.heads)) !== day.digest) {
      return { valid: false, reason: 'digest_differs', date: day.date };
    }
    previous = day.digest;
  }
  return { valid: true };
}

export type HeadCheck =
  /** The log holds the published hash at the published sequence, on an unbroken chain. */
  | { kind: 'matches' }
  /** The log does not recompute: an event was altered, removed or reordered. */
  | { kind: 'chain_broken'; brokenAt: number; reason: string }
  /** The log is another hazard's. */
  | { kind: 'other_hazard' }
  /** The log ends before the published sequence: history was cut. */
  | { kind: 'too_short'; length: number }
  /** The event at the published sequence has another hash: history was rewritten. */
  | { kind: 'different'; found: string };

/**
 * Does a hazard's exported log, taken on the day or at any time after it, hold the head a
 * day published for it? The log must recompute from the genesis hash, and its event at the
 * published sequence must carry the published hash (later events may follow it).
 */
export async function checkLogAgainstHead(
  events: readonly RecordedEvent[],
  published: ChainHead,
): Promise<HeadCheck> {
  if (events.some((event) => event.stream !== hazardStream(published.hazardId))) {
    return { kind: 'other_hazard' };
  }
  const chain = await verifyChain(events);
  if (!chain.valid) return { kind: 'chain_broken', brokenAt: chain.brokenAt, reason: chain.reason };
  const event = events[published.sequence - 1];
  if (!event) return { kind: 'too_short', length: events.length };
  return event.hash === published.head
    ? { kind: 'matches' }
    : { kind: 'different', found: event.hash };
}
