import { rewardDeskStatuses, rewardWork } from '@qingling/shared/tips/reward-desk.ts';
import { getRewardDeskRoute } from '@qingling/shared/tips/routes.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from '../http/api-handler.ts';

/**
 * GET /api/office/reward-desk: rewards to compute and to approve in a jurisdiction. One
 * paged Query per inbox status a reward is worked in, case result and reward projected.
 */
export const handler = apiHandlerFor([getRewardDeskRoute])('getRewardDesk', async ({ query }) => {
  const { jurisdiction } = query;
  const inbox = dependencies.tipInbox();
  const entries = await Promise.all(
    rewardDeskStatuses.map((status) => inbox.rewardEntries({ jurisdiction, status })),
  );
  return {
    jurisdiction,
    asOf: dependencies.clock().now().toISOString(),
    ...rewardWork(entries.flat()),
  };
});
