import { hazardProjection, hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { hazardRoutes } from '@qingling/shared/hazards/routes.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from './api-handler.ts';

/**
 * The API handler wrapper for the routes of hazards and the enterprise's link: its bundle
 * holds their schemas only. A route scoped to a hazard gets it loaded by id, held to the
 * caller's jurisdictions.
 */
export const apiHandler = apiHandlerFor(hazardRoutes, {
  hazard: (hazardId) => dependencies.eventStore().load(hazardStream(hazardId), hazardProjection),
});
