import { publicTipRoutes } from '@qingling/shared/tips/public-routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/**
 * The API handler wrapper for the tipster's routes (a tip, the follow-up): its bundle holds
 * their schemas only, none of the office's. No route of theirs is scoped to a record.
 */
export const apiHandler = apiHandlerFor(publicTipRoutes);
