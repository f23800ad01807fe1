import { apiHandler } from '../http/core-api.ts';

/** GET /api/me: who the token stands for, as the server reads it. */
export const handler = apiHandler('getMe', async ({ principal }) => {
  return { principal };
});
