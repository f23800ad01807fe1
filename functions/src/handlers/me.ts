import { apiHandler } from '../http/core-api.ts';

/** GET /api/me: who the token stands for, as the server reads it. */
export const handler = apiHandler('getMe', async ({ principal }) => {
  // apiHandler has already refused requests without a principal for this route.
  if (!principal) throw new Error('unreachable: signed-in route without principal');
  return { principal };
});
