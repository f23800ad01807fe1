import { type TipState, tipSummary } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/tip-api.ts';

/** GET /api/office/tips: a jurisdiction's tips by status, newest first, from the index. */
export const handler = apiHandler('listTips', async ({ query }) => {
  const { jurisdiction, status, cursor } = query;
  const page = await dependencies.tipInbox().list({ jurisdiction, status, cursor, limit: 50 });
  return {
    tips: page.items.map((state: TipState) => tipSummary(state)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
});
