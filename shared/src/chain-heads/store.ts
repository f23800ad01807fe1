import type { ChainHead, PublishedDay } from './chain-heads.ts';

/**
 * Port: where published days and their heads are kept, and where the heads are read from.
 * A published day never changes: the adapter writes a day with a condition that it does
 * not exist yet, and writes its pages under the day's digest, so that a second or a
 * concurrent publication of the same day can change nothing that was published.
 */
export interface ChainHeadsStore {
  /** Every hazard's head now, in the given jurisdictions (an index, never a Scan). */
  currentHeads(jurisdictions: readonly string[]): Promise<ChainHead[]>;
  /** The published days, newest first. */
  listDays(limit: number): Promise<PublishedDay[]>;
  getDay(date: string): Promise<PublishedDay | null>;
  /** One page (1-based) of a published day's heads, sorted by hazard id. */
  getPage(day: PublishedDay, page: number): Promise<ChainHead[]>;
  /** Stores one page of a day about to be published, under that day's digest. */
  putPage(day: PublishedDay, page: number, heads: readonly ChainHead[]): Promise<void>;
  /** Publishes the day unless it is published already (then false, and nothing changes). */
  putDay(day: PublishedDay): Promise<boolean>;
}
