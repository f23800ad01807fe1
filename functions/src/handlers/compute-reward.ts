import { computeRewardRoute } from '@qingling/shared/tips/reward-routes.ts';
import { apiHandlerFor } from '../http/api-handler.ts';
import { tipLoaders } from '../http/reward-api.ts';
import { runTipCommand } from '../tips/tip-command.ts';

/** POST /api/office/tips/{tipId}/reward/compute: the compute_reward command, by its own id. */
export const handler = apiHandlerFor([computeRewardRoute], tipLoaders)(
  'computeReward',
  async ({ body, principal, record }) => {
    const { idempotencyKey, expectedRevision, adjustedAmountFen, reason } = body;
    return runTipCommand(principal, record, {
      idempotencyKey,
      expectedRevision,
      command: {
        type: 'compute_reward',
        ...(adjustedAmountFen === undefined ? {} : { adjustedAmountFen }),
        ...(reason === undefined ? {} : { reason }),
      },
    });
  },
);
