import { hazardForJurisdictionsOf, hazardPage } from '../hazards/hazard-access.ts';
import { apiHandler } from '../http/hazard-api.ts';

/** GET /api/office/hazards/{hazardId}: the hazard, its timeline and its chain check. */
export const handler = apiHandler('getHazard', async ({ pathParameters, principal }) => {
  const snapshot = await hazardForJurisdictionsOf(
    pathParameters.hazardId ?? '',
    principal?.jurisdictions ?? [],
  );
  return hazardPage(snapshot.state);
});
