import { coreRoutes } from '@qingling/shared/api/core-routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the routes of health, the API description, jurisdictions and the signed-in user: its bundle holds their schemas only. */
export const apiHandler = apiHandlerFor(coreRoutes);
