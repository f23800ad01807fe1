import { validate } from '@qingling/shared/api/validation.ts';
import { enterpriseRoutes } from '@qingling/shared/enterprises/routes.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/enterprise-api.ts';

const querySchema = enterpriseRoutes[1].query.schema;

/** GET /api/office/enterprises: a jurisdiction's register by name, from the index. */
export const handler = apiHandler('listEnterprises', async ({ query, principal }) => {
  const parsed = validate(querySchema, query);
  if (!parsed.success) throw new ApiFailure('invalid_request', parsed.issues);
  const { jurisdiction, cursor } = parsed.data;
  if (!principal?.jurisdictions.includes(jurisdiction)) throw new ApiFailure('forbidden');
  const page = await dependencies
    .enterpriseRegister()
    .list({ jurisdiction, limit: 50, ...(cursor ? { cursor } : {}) });
  return {
    enterprises: page.items.map(({ uscc, name, address, industry }) => ({
      uscc,
      name,
      address,
      industry,
    })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
});
