import { tipProjection, tipStream } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';

/**
 * How the office's tip routes load the tip they are scoped to, held to the caller's
 * jurisdictions by the wrapper. Each handler wraps its own route
 * (`apiHandlerFor([getTipRoute], tipLoaders)`): it bundles that route's schemas and
 * examples, not all six.
 */
export const tipLoaders = {
  tip: (tipId: string) => dependencies.eventStore().load(tipStream(tipId), tipProjection),
};
