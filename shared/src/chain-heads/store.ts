import type { ChainHead, StoredDay } from './chain-heads.ts';

/**
 * Port: where published days and their leaves are kept, and where the heads are read from.
 * A published day never changes: the adapter writes a day with a condition that it does
 * not exist yet, and writes its pages under the day's digest, so that a second or a
 * concurrent publication of the same day can change nothing that was published. The pages
 * hold leaf hashes only (never a hazard id): they are read to prove one log's inclusion.
 */
export interface ChainHeadsStore {
  /** Every hazard's head now, in the given jurisdictions (an index, never a Scan). */
  currentHeads(jurisdictions: readonly string[]): Promise<ChainHead[]>;
  /** The published days, newest first. */
  listDays(limit: number): Promise<StoredDay[]>;
  getDay(date: string): Promise<StoredDay | null>;
  /** One page (1-based) of a published day's leaves, sorted. */
  getPage(day: StoredDay, page: number): Promise<string[]>;
  /** Stores one page of a day about to be published, under that day's digest. */
  putPage(day: StoredDay, page: number, leaves: readonly string[]): Promise<void>;
  /** Publishes the day unless it is published already (then false, and nothing changes). */
  putDay(day: StoredDay): Promise<boolean>;
}
