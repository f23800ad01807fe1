import { validate } from '@qingling/shared/api/validation.ts';
import { enterpriseProjection, enterpriseStream } from '@qingling/shared/enterprises/enterprise.ts';
import { enterpriseRoutes } from '@qingling/shared/enterprises/routes.ts';
import { hazardSummary } from '@qingling/shared/hazards/views.ts';
import { dependencies } from '../dependencies.ts';
import { ApiFailure, apiHandler } from '../http/api-handler.ts';

const querySchema = enterpriseRoutes[2].query.schema;

/**
 * GET /api/office/enterprises/{uscc}: the enterprise's file (一企一档) with its hazards in
 * the caller's jurisdictions, newest first, from the enterprise index (gsi2).
 */
export const handler = apiHandler('getEnterprise', async ({ pathParameters, query, principal }) => {
  const parsed = validate(querySchema, query);
  if (!parsed.success) throw new ApiFailure('invalid_request', parsed.issues);
  const uscc = (pathParameters.uscc ?? '').toUpperCase();
  const snapshot = await dependencies
    .eventStore()
    .load(enterpriseStream(uscc), enterpriseProjection);
  if (!snapshot || !principal?.jurisdictions.includes(snapshot.state.jurisdiction)) {
    throw new ApiFailure('not_found');
  }
  const { cursor } = parsed.data;
  const page = await dependencies
    .hazardLedger()
    .ofEnterprise({ uscc, limit: 50, ...(cursor ? { cursor } : {}) });
  return {
    enterprise: snapshot.state,
    hazards: page.items
      .filter((hazard) => principal.jurisdictions.includes(hazard.jurisdiction))
      .map(hazardSummary),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
});
