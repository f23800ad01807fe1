import { validate } from '@qingling/shared/api/validation.ts';
import { chainHeadsPageQuerySchema } from '@qingling/shared/chain-heads/schemas.ts';
import { dependencies } from '../dependencies.ts';
import { ApiFailure, apiHandler } from '../http/api-handler.ts';

/**
 * GET /api/public/chain-heads/{date}?page=N: one page of a published day's heads (hazard
 * id, sequence, hash), sorted by hazard id; `latest` names the newest published day.
 */
export const handler = apiHandler('getChainHeads', async ({ pathParameters, query }) => {
  const parsed = validate(chainHeadsPageQuerySchema, query);
  if (!parsed.success) throw new ApiFailure('invalid_request', parsed.issues);
  const page = Number(parsed.data.page ?? '1');
  const store = dependencies.chainHeads();
  const date = pathParameters.date ?? '';
  const day = date === 'latest' ? ((await store.listDays(1))[0] ?? null) : await store.getDay(date);
  // A day with no hazard has one page, empty.
  if (!day || page > Math.max(day.pages, 1)) throw new ApiFailure('not_found');
  return { ...day, page, heads: day.pages === 0 ? [] : await store.getPage(day, page) };
});
