import { rewardList, rewardListStatuses } from '@qingling/shared/tips/reward-list.ts';
import { listRewardsRoute } from '@qingling/shared/tips/routes.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from '../http/api-handler.ts';

/**
 * GET /api/office/rewards: the tips of a jurisdiction that concern rewards. One paged Query
 * per inbox status a reward is worked in, and one of the approved rewards' index (joint
 * tipsters' merged tips, paid and lapsed rewards), each projected to the reward's facts.
 */
export const handler = apiHandlerFor([listRewardsRoute])('listRewards', async ({ query }) => {
  const { jurisdiction } = query;
  const inbox = dependencies.tipInbox();
  const entries = await Promise.all(
    [...rewardListStatuses, 'approved' as const].map((from) =>
      inbox.rewardListEntries({ jurisdiction, from }),
    ),
  );
  const now = dependencies.clock().now();
  return { jurisdiction, asOf: now.toISOString(), ...rewardList(entries.flat(), now) };
});
