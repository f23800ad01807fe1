import { claimReward } from '@qingling/shared/tips/claim-command.ts';
import { rewardForTipster } from '@qingling/shared/tips/reward-claim.ts';
import { claimRewardRoute } from '@qingling/shared/tips/reward-routes.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure, apiHandlerFor } from '../http/api-handler.ts';
import { tipByReceipt } from '../tips/tip-access.ts';

/**
 * POST /api/tips/reward-claims: the holder of the receipt claims the approved reward, in
 * person (a code shown now, kept only as its keyed hash) or by bank transfer (sealed).
 * 201 the first time; 200 with the same answer, code included, on a retry of the same key.
 */
export const handler = apiHandlerFor([claimRewardRoute])(
  'claimReward',
  async ({ body, headers }) => {
    const { tipId } = await tipByReceipt(body.receipt, headers);
    const outcome = await claimReward(
      {
        events: dependencies.eventStore(),
        clock: dependencies.clock(),
        receiptKey: await dependencies.receiptKeys().receiptKey(),
        contactVault: dependencies.contactVault(),
        // The lifecycle waits for the claim deadline: a claim ends the wait at once.
        workflow: dependencies.tipWorkflow(),
      },
      body.method === 'in_person'
        ? { tipId, idempotencyKey: body.idempotencyKey, method: 'in_person' }
        : { tipId, idempotencyKey: body.idempotencyKey, method: 'bank_transfer', bank: body.bank },
    );
    if (outcome.kind === 'not_found') throw new ApiFailure('tip_not_found');
    if (outcome.kind === 'refused') {
      throw new ApiFailure('rule_violated', [{ path: 'method', message: outcome.text }]);
    }
    const reward = rewardForTipster(outcome.snapshot.state, dependencies.clock().now());
    if (!reward) throw new ApiFailure('conflict');
    return {
      status: outcome.duplicate ? 200 : 201,
      body: {
        reward,
        ...(outcome.claimCode ? { claimCode: outcome.claimCode } : {}),
        duplicate: outcome.duplicate,
      },
    };
  },
);
