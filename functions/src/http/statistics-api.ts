import { statisticsRoutes } from '@qingling/shared/hazards/statistics-routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the statistics' route: its bundle holds its schemas only. */
export const apiHandler = apiHandlerFor(statisticsRoutes);
