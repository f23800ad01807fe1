import { rewardRoutes } from '@qingling/shared/tips/reward-routes.ts';
import { tipProjection, tipStream } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the reward's routes (claim, compute, approve, bank details). */
export const apiHandler = apiHandlerFor(rewardRoutes, {
  tip: (tipId) => dependencies.eventStore().load(tipStream(tipId), tipProjection),
});
