import { addCalendarDays, cstDate } from '../calendar/calendar.ts';
import { genesisHash, type RecordedEvent, verifyChain } from '../event-log/event-log.ts';
import { hazardStream } from '../hazards/hazard.ts';
import { leafHash, rootFromPath, treeHash } from './merkle.ts';

/**
 * Each day's chain heads (每日链头公示): once a CST day has ended, one Merkle root over the
 * head of every hazard's log is published (RFC 6962 tree, see merkle.ts), with the number
 * of heads and a digest that also covers the previous published day's digest. Nothing
 * public names a hazard or one hazard's head: a leaf is the hash of `<hazardId> <sequence>
 * <head>`, and a head is a hash of the log, so a leaf cannot be made from an id alone. A
 * hazard's exported log carries the audit path of its head's leaf; anyone recomputes the
 * log's chain, the leaf and the root, and compares the root with the published one. A log
 * rewritten later no longer leads there, and a published day that was rewritten breaks the
 * digest of every day after it. Pure.
 */

/** One hazard's log as it stood when the day was published. Never published as such. */
export interface ChainHead {
  hazardId: string;
  /** The sequence of the log's last event (the state item's `version`). */
  sequence: number;
  /** That event's hash. */
  head: string;
}

/** A published day: all that is public about it. */
export interface PublishedDay {
  /** The CST date (YYYY-MM-DD) whose end the publication followed. */
  date: string;
  /** The Merkle root over the day's leaves, sorted by leaf hash. */
  root: string;
  /** How many leaves (hazards' heads) the tree holds: an inclusion proof needs it. */
  count: number;
  /** The digest of the day published before this one (genesisDigest for the first). */
  previousDigest: string;
  /** SHA-256 of dayDigestText: links this day to the one before. */
  digest: string;
  /** When the heads were read: they are the logs as they stood then. */
  publishedAt: string;
}

/**
 * A published day as stored: the public fields, and where its leaves are kept to build
 * proofs from (pages of `pageSize` leaves, each with its first leaf and its subtree hash).
 */
export interface StoredDay extends PublishedDay {
  pageSize: number;
  pages: readonly { first: string; root: string }[];
}

/** The audit path of one hazard's head in a published day's tree. */
export interface InclusionProof {
  date: string;
  /** The sequence of the log's event whose hash is the published head. */
  sequence: number;
  leafIndex: number;
  treeSize: number;
  /** Sibling hashes from the leaf up (RFC 6962 audit path). */
  path: string[];
}

/** The previous digest of the first published day. */
export const genesisDigest = genesisHash;

/**
 * Leaves per stored page: a power of two, so that each full page is a subtree of the day's
 * tree, and 2,048 leaves of 64 hex digits stay far below DynamoDB's 400 KB item limit.
 */
export const leavesPageSize = 2048;

/** The date a publication at `now` is for: the CST day that ended most recently. */
export function lastEndedDay(now: Date): string {
  return addCalendarDays(cstDate(now), -1);
}

/** A head's leaf: the RFC 6962 leaf hash of `<hazardId> <sequence> <head>`. */
export function headLeaf(hazardId: string, sequence: number, head: string): Promise<string> {
  return leafHash(`${hazardId} ${sequence} ${head}`);
}

/** The day's leaves in tree order: by leaf hash, so a leaf's place says nothing of its id. */
export async function leavesOf(heads: readonly ChainHead[]): Promise<string[]> {
  const leaves = await Promise.all(
    heads.map(({ hazardId, sequence, head }) => headLeaf(hazardId, sequence, head)),
  );
  return leaves.sort();
}

/** Splits leaves into the pages they are stored in (page 1 first). */
export function pagesOf<T>(items: readonly T[], size = leavesPageSize): T[][] {
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    pages.push(items.slice(start, start + size));
  }
  return pages;
}

/** The text a day's digest is the SHA-256 of: `<date> <count> <root> <previousDigest>\n`. */
export function dayDigestText(day: Omit<PublishedDay, 'digest' | 'publishedAt'>): string {
  return `${day.date} ${day.count} ${day.root} ${day.previousDigest}\n`;
}

export async function dayDigest(
  day: Omit<PublishedDay, 'digest' | 'publishedAt'>,
): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(dayDigestText(day)),
  );
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A stored day's public fields: what the public routes answer, and nothing else. */
export function publicDay(day: PublishedDay): PublishedDay {
  const { date, root, count, previousDigest, digest, publishedAt } = day;
  return { date, root, count, previousDigest, digest, publishedAt };
}

/** Builds the day: leaves sorted, paged, each page's subtree hashed, then the root. */
export async function buildDay(
  fields: Pick<PublishedDay, 'date' | 'previousDigest' | 'publishedAt'>,
  heads: readonly ChainHead[],
  pageSize = leavesPageSize,
): Promise<{ day: StoredDay; pages: string[][] }> {
  if (!Number.isInteger(Math.log2(pageSize))) throw new Error('pages must be powers of two');
  const pages = pagesOf(await leavesOf(heads), pageSize);
  const pageRoots = await Promise.all(pages.map((page) => treeHash(page)));
  // Full pages are equal power-of-two subtrees: the tree over their hashes is the day's.
  const root = await treeHash(pageRoots);
  const count = heads.length;
  const digest = await dayDigest({ ...fields, count, root });
  return {
    day: {
      ...fields,
      root,
      count,
      digest,
      pageSize,
      pages: pages.map((page, index) => ({
        first: page[0] as string,
        root: pageRoots[index] as string,
      })),
    },
    pages,
  };
}

export type DayCheck =
  | { valid: true }
  | { valid: false; reason: 'digest_differs' | 'not_linked'; date: string };

/**
 * Checks published days, oldest first, from their public fields alone: each day's digest
 * recomputes, and each day names the one before it.
 */
export async function verifyDays(days: readonly PublishedDay[]): Promise<DayCheck> {
  let previous: string | null = null;
  for (const day of days) {
    if (previous !== null && day.previousDigest !== previous) {
      return { valid: false, reason: 'not_linked', date: day.date };
    }
    if ((await dayDigest(day)) !== day.digest) {
      return { valid: false, reason: 'digest_differs', date: day.date };
    }
    previous = day.digest;
  }
  return { valid: true };
}

/** What an exported log holds: its hazard, its events, and its proof (if it has one). */
export interface ExportedLog {
  hazardId: string;
  events: readonly RecordedEvent[];
  inclusion?: InclusionProof | null;
}

export type LogCheck =
  /** The log recomputes, and its head at the proof's sequence is in the published root. */
  | { kind: 'included'; date: string; sequence: number }
  /** The log does not recompute: an event was altered, removed or reordered. */
  | { kind: 'chain_broken'; brokenAt: number; reason: string }
  /** An event of the log is another hazard's. */
  | { kind: 'other_hazard' }
  /** The log carries no proof (recorded after the day, or its history was rewritten). */
  | { kind: 'no_proof' }
  /** The proof is for another day than the published day it is held against. */
  | { kind: 'other_day'; date: string }
  /** No day was published on the date the proof names. */
  | { kind: 'unpublished'; date: string }
  /** The log ends before the proof's sequence: history was cut. */
  | { kind: 'too_short'; length: number }
  /** The path does not lead from the log's head to the published root. */
  | { kind: 'not_included' };

/**
 * Holds a hazard's exported log, taken on the day or at any time after it, against a
 * published day (read from the public list, not from the export): the log must recompute
 * from the genesis hash, and the leaf of its event at the proof's sequence, with the
 * proof's path, must lead to the published root of a tree of the published size. `day` is
 * the published day the proof names (null when none was published on that date).
 */
export async function checkExportedLog(
  log: ExportedLog,
  day: PublishedDay | null,
): Promise<LogCheck> {
  if (log.events.some((event) => event.stream !== hazardStream(log.hazardId))) {
    return { kind: 'other_hazard' };
  }
  const chain = await verifyChain(log.events);
  if (!chain.valid) return { kind: 'chain_broken', brokenAt: chain.brokenAt, reason: chain.reason };
  const proof = log.inclusion;
  if (!proof) return { kind: 'no_proof' };
  if (!day) return { kind: 'unpublished', date: String(proof.date) };
  if (proof.date !== day.date) return { kind: 'other_day', date: proof.date };
  const event = log.events[proof.sequence - 1];
  if (!event) return { kind: 'too_short', length: log.events.length };
  const leaf = await headLeaf(log.hazardId, event.sequence, event.hash);
  const root = await rootFromPath(
    leaf,
    proof.leafIndex,
    day.count,
    Array.isArray(proof.path) ? proof.path : [],
  );
  return root === day.root
    ? { kind: 'included', date: day.date, sequence: event.sequence }
    : { kind: 'not_included' };
}
