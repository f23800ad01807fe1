import { hazardSummary } from '@qingling/shared/hazards/views.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/hazard-api.ts';

/** GET /api/office/hazards: a jurisdiction's ledger by status, major first, from the index. */
export const handler = apiHandler('listHazards', async ({ query }) => {
  const { jurisdiction, status, cursor, overdue } = query;
  const page = await dependencies.hazardLedger().list({
    jurisdiction,
    status,
    limit: 50,
    ...(cursor ? { cursor } : {}),
    ...(overdue ? { deadlineBy: dependencies.clock().now().toISOString() } : {}),
  });
  return {
    hazards: page.items.map(hazardSummary),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
});
