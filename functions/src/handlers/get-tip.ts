import { tipForOfficer } from '@qingling/shared/tips/tip.ts';
import { apiHandler } from '../http/tip-api.ts';
import { tipForJurisdictionsOf } from '../tips/tip-access.ts';

/** GET /api/office/tips/{tipId}: the whole tip for an officer of its jurisdiction. */
export const handler = apiHandler('getTip', async ({ pathParameters, principal }) => {
  const snapshot = await tipForJurisdictionsOf(
    pathParameters.tipId ?? '',
    principal?.jurisdictions ?? [],
  );
  return tipForOfficer(snapshot.state);
});
