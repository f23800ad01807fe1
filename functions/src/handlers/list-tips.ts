import { validate } from '@qingling/shared/api/validation.ts';
import { tipListQuerySchema } from '@qingling/shared/tips/schemas.ts';
import { type TipState, tipSummary } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/tip-api.ts';

/** GET /api/office/tips: a jurisdiction's tips by status, newest first, from the index. */
export const handler = apiHandler('listTips', async ({ query, principal }) => {
  const parsed = validate(tipListQuerySchema, query);
  if (!parsed.success) throw new ApiFailure('invalid_request', parsed.issues);
  const { jurisdiction, status, cursor } = parsed.data;
  if (!principal?.jurisdictions.includes(jurisdiction)) throw new ApiFailure('forbidden');
  const page = await dependencies.tipInbox().list({ jurisdiction, status, cursor, limit: 50 });
  return {
    tips: page.items.map((state: TipState) => tipSummary(state)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
});
