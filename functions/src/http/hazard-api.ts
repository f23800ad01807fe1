import { hazardRoutes } from '@qingling/shared/hazards/routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the routes of hazards and the enterprise's link: its bundle holds their schemas only. */
export const apiHandler = apiHandlerFor(hazardRoutes);
