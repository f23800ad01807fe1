import { approveRewardRoute } from '@qingling/shared/tips/reward-routes.ts';
import { apiHandlerFor } from '../http/api-handler.ts';
import { tipLoaders } from '../http/reward-api.ts';
import { runTipCommand } from '../tips/tip-command.ts';

/** POST /api/office/tips/{tipId}/reward/approve: the approve_reward command, by its own id. */
export const handler = apiHandlerFor([approveRewardRoute], tipLoaders)(
  'approveReward',
  async ({ body, principal, record }) =>
    runTipCommand(principal, record, {
      idempotencyKey: body.idempotencyKey,
      expectedRevision: body.expectedRevision,
      command: { type: 'approve_reward' },
    }),
);
