import { buildDay, genesisDigest, lastEndedDay, type StoredDay } from './chain-heads.ts';
import type { ChainHeadsStore } from './store.ts';

export type Publication =
  /** The day was published now. */
  | { kind: 'published'; day: StoredDay }
  /** The day (or a later one) was published before: nothing was written. */
  | { kind: 'already'; day: StoredDay };

/**
 * Publishes the CST day that ended last, once: the scheduled function on AWS (00:05 CST)
 * and the embedded cloud's heartbeat both call this, as often as they like. The heads are
 * the logs as they stand at publication. A day missed (the system was down for all of the
 * next day) stays unpublished rather than be published with later heads under its date;
 * the next day then names the last published one as its previous.
 */
export async function publishDueDay(deps: {
  store: ChainHeadsStore;
  now: Date;
  jurisdictions: readonly string[];
  /** Leaves per stored page (a power of two); tests make it small. */
  pageSize?: number;
}): Promise<Publication> {
  const { store, now } = deps;
  const date = lastEndedDay(now);
  const [latest] = await store.listDays(1);
  // Never a day before one already published: the later day's link would no longer hold.
  if (latest && latest.date >= date) return { kind: 'already', day: latest };

  const { day, pages } = await buildDay(
    { date, previousDigest: latest?.digest ?? genesisDigest, publishedAt: now.toISOString() },
    await store.currentHeads(deps.jurisdictions),
    deps.pageSize,
  );
  // Pages first, under this digest: until the day is put, nobody reads them, and a page
  // written by a publication that then loses the race is never named by the day.
  for (const [index, page] of pages.entries()) await store.putPage(day, index + 1, page);
  if (await store.putDay(day)) return { kind: 'published', day };
  // Another publication of the same day won: its record stands, this one's pages are unnamed.
  const published = await store.getDay(date);
  if (!published) throw new Error(`chain heads of ${date}: refused, yet not published`);
  return { kind: 'already', day: published };
}
