import { officeRequest } from '#lib/office/office-api.ts';
import type { TipForOfficer, TipList, TipStatus, TipSummary } from './contract.ts';
import { type DuplicateReason, duplicatesAmong } from './duplicates.ts';

/** Where a tip's duplicates may be: the tips of its jurisdiction still being handled. */
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
 * The tips that may be the same matter as this one, among the newest of each status still
 * being handled in its jurisdiction (the first page of each). Texts are compared excerpt
 * to excerpt, the only text the inbox gives.
 */
export async function likelyDuplicatesOf(tip: TipForOfficer): Promise<LikelyDuplicate[]> {
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
