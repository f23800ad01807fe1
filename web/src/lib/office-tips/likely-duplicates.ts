import { type DuplicateReason, duplicatesAmong } from '@qingling/shared/tips/duplicates.ts';
import { officeRequest } from '#lib/office/office-api.ts';
import type {
  PossibleDuplicates,
  TipForOfficer,
  TipList,
  TipStatus,
  TipSummary,
} from './contract.ts';

/** Where a tip's similar texts may be: the tips of its jurisdiction still being handled. */
const searchedStatuses: readonly TipStatus[] = [
  'received',
  'accepted',
  'investigating',
  'substantiated',
];

export interface LikelyDuplicate {
  tip: TipSummary;
  reasons: DuplicateReason[];
}

/**
 * The tips that may be the same matter as this one. Those naming the same enterprise or
 * address come from the server, which finds them among all tips of the jurisdiction by
 * its index however far back they are; those whose text alone is alike, among the newest
 * of each status still being handled (the first page of each: text has no index), excerpt
 * to excerpt, the only text the inbox gives.
 */
export async function likelyDuplicatesOf(tip: TipForOfficer): Promise<LikelyDuplicate[]> {
  const [indexed, similar] = await Promise.all([
    officeRequest<PossibleDuplicates>(`/api/office/tips/${tip.tipId}/possible-duplicates`),
    similarTextOf(tip),
  ]);
  const found = new Map<string, LikelyDuplicate>(
    indexed.possibleDuplicates.map((entry) => [entry.tip.tipId, entry]),
  );
  for (const entry of similar) {
    const known = found.get(entry.tip.tipId);
    const reasons = [...new Set([...(known?.reasons ?? []), ...entry.reasons])];
    found.set(entry.tip.tipId, { tip: known?.tip ?? entry.tip, reasons });
  }
  return [...found.values()];
}

async function similarTextOf(tip: TipForOfficer): Promise<LikelyDuplicate[]> {
  const pages = await Promise.all(
    searchedStatuses.map((status) =>
      officeRequest<TipList>(
        `/api/office/tips?${new URLSearchParams({ jurisdiction: tip.jurisdiction, status })}`,
      ),
    ),
  );
  const others = pages.flatMap((page) => page.tips).filter((other) => other.tipId !== tip.tipId);
  const byId = new Map(others.map((other) => [other.tipId, other]));
  const asCandidate = (summary: TipSummary) => ({ ...summary, text: summary.excerpt });
  // Only case officers ask; a reward officer's view has no excerpt (the tipster's words).
  const own = asCandidate({ ...tip, excerpt: tip.excerpt ?? '' });
  const found = duplicatesAmong([own, ...others.map(asCandidate)]).get(tip.tipId);
  return (found ?? []).flatMap(({ tipId, reasons }) => {
    const other = byId.get(tipId);
    return other ? [{ tip: other, reasons }] : [];
  });
}
