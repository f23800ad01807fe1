import { officeTipRoutes } from '@qingling/shared/tips/routes.ts';
import { tipProjection, tipStream } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from './api-handler.ts';

/**
 * The API handler wrapper for the office's routes of tips: its bundle holds their schemas only. A
 * route scoped to a tip gets it loaded by id, held to the caller's jurisdictions.
 */
export const apiHandler = apiHandlerFor(officeTipRoutes, {
  tip: (tipId) => dependencies.eventStore().load(tipStream(tipId), tipProjection),
});
