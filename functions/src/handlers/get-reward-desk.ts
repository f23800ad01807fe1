import {
  rewardClaimWork,
  rewardDeskStatuses,
  rewardWork,
} from '@qingling/shared/tips/reward-desk.ts';
import { getRewardDeskRoute } from '@qingling/shared/tips/routes.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from '../http/api-handler.ts';

/**
 * GET /api/office/reward-desk: rewards to compute, to approve, claims to pay and deadlines
 * near in a jurisdiction. One paged Query per inbox status a reward is worked in (case
 * result and reward projected), and one of the approved rewards' index for the claims.
 */
export const handler = apiHandlerFor([getRewardDeskRoute])('getRewardDesk', async ({ query }) => {
  const { jurisdiction } = query;
  const inbox = dependencies.tipInbox();
  const [claims, ...entries] = await Promise.all([
    inbox.rewardClaimEntries({ jurisdiction }),
    ...rewardDeskStatuses.map((status) => inbox.rewardEntries({ jurisdiction, status })),
  ]);
  const now = dependencies.clock().now();
  return {
    jurisdiction,
    asOf: now.toISOString(),
    ...rewardWork(entries.flat(), now),
    ...rewardClaimWork(claims, now),
  };
});
