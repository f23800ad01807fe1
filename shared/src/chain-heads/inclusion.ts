import type { RecordedEvent } from '../event-log/event-log.ts';
import { headLeaf, type InclusionProof, type StoredDay } from './chain-heads.ts';
import { auditPath } from './merkle.ts';
import type { ChainHeadsStore } from './store.ts';

/**
 * The proof an exported log carries: the audit path of its head in the latest published
 * day, or null when no event of the log is in that day (the hazard was recorded after it,
 * or its history was rewritten since). The day's leaves are found by hash, never by id:
 * each event's leaf is made from the log, newest first (the published head is usually
 * the last or nearly), and looked for in the one page whose range holds it.
 */
export async function proveInclusion(
  store: ChainHeadsStore,
  hazardId: string,
  events: readonly RecordedEvent[],
): Promise<InclusionProof | null> {
  const [day] = await store.listDays(1);
  if (!day || day.count === 0) return null;
  const read = new Map<number, Promise<string[]>>();
  for (const event of events.toReversed()) {
    const leaf = await headLeaf(hazardId, event.sequence, event.hash);
    const page = pageHolding(day, leaf);
    if (page < 0) continue;
    if (!read.has(page)) read.set(page, store.getPage(day, page + 1));
    const leaves = (await read.get(page)) as string[];
    const index = leaves.indexOf(leaf);
    if (index < 0) continue;
    // The path inside the page, then among the pages' subtrees: one path of the whole tree.
    const roots = day.pages.map((each) => each.root);
    return {
      date: day.date,
      sequence: event.sequence,
      leafIndex: page * day.pageSize + index,
      treeSize: day.count,
      path: [...(await auditPath(index, leaves)), ...(await auditPath(page, roots))],
    };
  }
  return null;
}

/** The 0-based page whose leaves could hold `leaf` (pages are sorted), or -1. */
function pageHolding(day: StoredDay, leaf: string): number {
  let found = -1;
  for (const [index, page] of day.pages.entries()) {
    if (page.first <= leaf) found = index;
    else break;
  }
  return found;
}
