import {
  duplicatesOf,
  samePlaceLimit,
  tipPlacePartitions,
} from '@qingling/shared/tips/duplicates.ts';
import { getTipDuplicatesRoute } from '@qingling/shared/tips/routes.ts';
import { type TipState, tipSummary } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from '../http/api-handler.ts';
import { tipLoaders } from '../http/tip-api.ts';

const asCandidate = (state: TipState) => ({ ...state, text: state.description });

/**
 * GET /api/office/tips/{tipId}/possible-duplicates: the tips of the same jurisdiction that
 * name the same enterprise or address (folded), however far back in the inbox they are:
 * at most samePlaceLimit of each from its index partition, newest first, with why each
 * looks alike (similar text too, judged on the whole descriptions).
 */
export const handler = apiHandlerFor([getTipDuplicatesRoute], tipLoaders)(
  'getTipDuplicates',
  async ({ record }) => {
    const tip = record.state;
    const inbox = dependencies.tipInbox();
    const { gsi4pk, gsi5pk } = tipPlacePartitions(tip);
    const found = await Promise.all([
      gsi4pk ? inbox.samePlace({ index: 'gsi4', partition: gsi4pk, limit: samePlaceLimit }) : [],
      gsi5pk ? inbox.samePlace({ index: 'gsi5', partition: gsi5pk, limit: samePlaceLimit }) : [],
    ]);
    const others = found.flat();
    const byId = new Map(others.map((other) => [other.tipId, other]));
    const possible = duplicatesOf(asCandidate(tip), others.map(asCandidate));
    return {
      possibleDuplicates: possible.flatMap(({ tipId, reasons }) => {
        const other = byId.get(tipId);
        return other ? [{ tip: tipSummary(other), reasons }] : [];
      }),
    };
  },
);
