import { enterpriseAccessRoutes } from '@qingling/shared/hazards/enterprise-access-routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/**
 * The API handler wrapper for the enterprise's routes (its hazard, opened with the office's
 * link): its bundle holds their schemas only. No route of theirs is scoped to a record:
 * the link's token names the hazard.
 */
export const apiHandler = apiHandlerFor(enterpriseAccessRoutes);
