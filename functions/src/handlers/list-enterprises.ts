import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/enterprise-api.ts';

/** GET /api/office/enterprises: a jurisdiction's register by name, from the index. */
export const handler = apiHandler('listEnterprises', async ({ query }) => {
  const { jurisdiction, cursor } = query;
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
