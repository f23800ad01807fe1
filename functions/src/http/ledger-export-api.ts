import { ledgerExportRoutes } from '@qingling/shared/hazards/ledger-export-routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for the ledger export's routes: its bundle holds their schemas only. */
export const apiHandler = apiHandlerFor(ledgerExportRoutes);
