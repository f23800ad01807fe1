import { hazardEvidenceRoutes } from '@qingling/shared/hazards/evidence-routes.ts';
import { apiHandlerFor } from './api-handler.ts';

/** The API handler wrapper for a hazard's photo upload forms: its bundle holds that route only. */
export const apiHandler = apiHandlerFor(hazardEvidenceRoutes);
