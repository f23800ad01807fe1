import { rewardDeskStatuses, rewardWork } from '@qingling/shared/tips/reward-desk.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/tip-api.ts';

/**
 * GET /api/office/reward-desk: rewards to compute and to approve in a jurisdiction. One
 * paged Query per inbox status a reward is worked in, case result and reward projected.
 */
export const handler = apiHandler('getRewardDesk', async ({ query }) => {
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
