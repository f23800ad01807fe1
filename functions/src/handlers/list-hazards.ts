import { validate } from '@qingling/shared/api/validation.ts';
import { hazardListQuerySchema } from '@qingling/shared/hazards/schemas.ts';
import { hazardSummary } from '@qingling/shared/hazards/views.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/hazard-api.ts';

/** GET /api/office/hazards: a jurisdiction's ledger by status, major first, from the index. */
export const handler = apiHandler('listHazards', async ({ query, principal }) => {
  const parsed = validate(hazardListQuerySchema, query);
  if (!parsed.success) throw new ApiFailure('invalid_request', parsed.issues);
  const { jurisdiction, status, cursor } = parsed.data;
  if (!principal?.jurisdictions.includes(jurisdiction)) throw new ApiFailure('forbidden');
  const page = await dependencies
    .hazardLedger()
    .list({ jurisdiction, status, limit: 50, ...(cursor ? { cursor } : {}) });
  return {
    hazards: page.items.map(hazardSummary),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
});
