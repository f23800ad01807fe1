import { listTipsRoute } from '@qingling/shared/tips/routes.ts';
import { type TipState, tipSummary } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from '../http/api-handler.ts';

/** GET /api/office/tips: a jurisdiction's tips by status, newest first, from the index. */
export const handler = apiHandlerFor([listTipsRoute])('listTips', async ({ query }) => {
  const { jurisdiction, status, cursor } = query;
  const page = await dependencies.tipInbox().list({ jurisdiction, status, cursor, limit: 50 });
  return {
    tips: page.items.map((state: TipState) => tipSummary(state)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
});
