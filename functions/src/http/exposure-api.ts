import { exposureRoutes } from '@qingling/shared/hazards/exposure-routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the public exposure page's route: its bundle holds its schemas only. */
export const apiHandler = apiHandlerFor(exposureRoutes);
