import { ledgerFilterOf } from '@qingling/shared/hazards/ledger-filter.ts';
import { hazardSummary } from '@qingling/shared/hazards/views.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/hazard-api.ts';

/**
 * GET /api/office/hazards: a jurisdiction's ledger by status, major first; with filters
 * (grade, channel, industry, unit, enterprise, period, overdue) and a sort, those they
 * select in that order. Every page from the indexes (ledger-filter.ts).
 */
export const handler = apiHandler('listHazards', async ({ query }) => {
  const { jurisdiction, status, cursor, ...filters } = query;
  const page = await dependencies.hazardLedger().list({
    jurisdiction,
    status,
    limit: 50,
    ...(cursor ? { cursor } : {}),
    filter: ledgerFilterOf(filters, dependencies.clock().now()),
  });
  return {
    hazards: page.items.map(hazardSummary),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
});
