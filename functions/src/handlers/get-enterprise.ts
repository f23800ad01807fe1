import { enterpriseProjection, enterpriseStream } from '@qingling/shared/enterprises/enterprise.ts';
import { hazardSummary } from '@qingling/shared/hazards/views.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/enterprise-api.ts';

/**
 * GET /api/office/enterprises/{uscc}?jurisdiction=: the jurisdiction's record of the
 * enterprise (一企一档) with the hazards filed on it, newest first, from the enterprise
 * index (gsi2). Another jurisdiction's record of the same code is another record.
 */
export const handler = apiHandler('getEnterprise', async ({ pathParameters, query }) => {
  const { jurisdiction, cursor } = query;
  const uscc = (pathParameters.uscc ?? '').toUpperCase();
  const snapshot = await dependencies
    .eventStore()
    .load(enterpriseStream(jurisdiction, uscc), enterpriseProjection);
  if (!snapshot) throw new ApiFailure('not_found');
  const page = await dependencies
    .hazardLedger()
    .ofEnterprise({ jurisdiction, uscc, limit: 50, ...(cursor ? { cursor } : {}) });
  return {
    enterprise: snapshot.state,
    hazards: page.items.map(hazardSummary),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
});
