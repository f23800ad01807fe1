import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/core-api.ts';

/** GET /api/jurisdictions: the jurisdictions a tip can be sent to. */
export const handler = apiHandler('listJurisdictions', async () => ({
  jurisdictions: await dependencies.referenceData().listJurisdictions(),
}));
