import { hazardProjection, hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { hazardLogRoutes } from '@qingling/shared/hazards/log-routes.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from './api-handler.ts';

/**
 * The API handler wrapper for a hazard's log export: its bundle holds that route's schemas
 * only. The hazard is loaded by id, held to the caller's jurisdictions.
 */
export const apiHandler = apiHandlerFor(hazardLogRoutes, {
  hazard: (hazardId) => dependencies.eventStore().load(hazardStream(hazardId), hazardProjection),
});
