import { validate } from '@qingling/shared/api/validation.ts';
import { enterpriseProjection, enterpriseStream } from '@qingling/shared/enterprises/enterprise.ts';
import { enterpriseRoutes } from '@qingling/shared/enterprises/routes.ts';
import { hazardSummary } from '@qingling/shared/hazards/views.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/enterprise-api.ts';

const querySchema = enterpriseRoutes[2].query.schema;

/**
 * GET /api/office/enterprises/{uscc}?jurisdiction=: the jurisdiction's record of the
 * enterprise (一企一档) with the hazards filed on it, newest first, from the enterprise
 * index (gsi2). Another jurisdiction's record of the same code is another record.
 */
export const handler = apiHandler('getEnterprise', async ({ pathParameters, query, principal }) => {
  const parsed = validate(querySchema, query);
  if (!parsed.success) throw new ApiFailure('invalid_request', parsed.issues);
  const { jurisdiction, cursor } = parsed.data;
  if (!principal?.jurisdictions.includes(jurisdiction)) throw new ApiFailure('forbidden');
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
