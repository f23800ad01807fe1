import { userRoutes } from '@qingling/shared/users/routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the routes of users and roles: its bundle holds their schemas only. */
export const apiHandler = apiHandlerFor(userRoutes);
