import { policyRoutes } from '@qingling/shared/policies/routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the routes of administrators' policies: its bundle holds their schemas only. */
export const apiHandler = apiHandlerFor(policyRoutes);
