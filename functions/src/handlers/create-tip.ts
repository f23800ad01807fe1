import { tipsterActor } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/public-tip-api.ts';
import { spendProof } from '../tips/tip-access.ts';
import { receiveTip } from '../tips/tip-intake.ts';

/**
 * POST /api/tips: an anonymous tip from the web form. A solved puzzle, if it carries one
 * (how it got past a per-address limit), must be good and is spent.
 */
export const handler = apiHandler('createTip', async ({ body, headers }) => {
  await spendProof(headers, dependencies.clock().now());
  return receiveTip(body, 'web', tipsterActor);
});
