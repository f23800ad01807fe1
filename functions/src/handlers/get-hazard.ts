import { hazardPageWithPhotos } from '../hazards/hazard-access.ts';
import { apiHandler } from '../http/hazard-api.ts';

/** GET /api/office/hazards/{hazardId}: the hazard, its timeline and its chain check. */
export const handler = apiHandler('getHazard', async ({ record }) => {
  return hazardPageWithPhotos(record.state);
});
