import { enterpriseRoutes } from '@qingling/shared/enterprises/routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the routes of the enterprise register: its bundle holds their schemas only. */
export const apiHandler = apiHandlerFor(enterpriseRoutes);
