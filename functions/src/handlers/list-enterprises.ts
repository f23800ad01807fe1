import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/enterprise-api.ts';

/** GET /api/office/enterprises: a jurisdiction's register by name, from the index; `q` searches it. */
export const handler = apiHandler('listEnterprises', async ({ query }) => {
  const { jurisdiction, cursor, q } = query;
  const register = dependencies.enterpriseRegister();
  // With `q`: a bounded, filtered read of the same partition (register-search.ts).
  const page = q
    ? await register.search({ jurisdiction, q, ...(cursor ? { cursor } : {}) })
    : await register.list({ jurisdiction, limit: 50, ...(cursor ? { cursor } : {}) });
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
