import { chainHeadRoutes } from '@qingling/shared/chain-heads/routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the routes of the published chain heads: its bundle holds their schemas only. */
export const apiHandler = apiHandlerFor(chainHeadRoutes);
