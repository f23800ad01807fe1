import { publicDay } from '@qingling/shared/chain-heads/chain-heads.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/chain-head-api.ts';

/**
 * GET /api/public/chain-heads/{date}: a published day's root, count and digests (never its
 * leaves); `latest` names the newest published day.
 */
export const handler = apiHandler('getChainHeads', async ({ pathParameters }) => {
  const store = dependencies.chainHeads();
  const date = pathParameters.date ?? '';
  const day = date === 'latest' ? ((await store.listDays(1))[0] ?? null) : await store.getDay(date);
  if (!day) throw new ApiFailure('not_found');
  return publicDay(day);
});
