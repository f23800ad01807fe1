import { tipRoutes } from '@qingling/shared/tips/routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the routes of tips: its bundle holds their schemas only. */
export const apiHandler = apiHandlerFor(tipRoutes);
