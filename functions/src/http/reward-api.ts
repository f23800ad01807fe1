import { tipProjection, tipStream } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';

/**
 * How the reward routes' handlers load the tip they are scoped to. Each handler wraps its
 * own route (`apiHandlerFor([computeRewardRoute], tipLoaders)`), not the four together:
 * a handler then bundles one route's schemas and examples, not all of them.
 */
export const tipLoaders = {
  tip: (tipId: string) => dependencies.eventStore().load(tipStream(tipId), tipProjection),
};
