import { tipForOfficer } from '@qingling/shared/tips/tip.ts';
import { apiHandler } from '../http/tip-api.ts';

/** GET /api/office/tips/{tipId}: the whole tip for an officer of its jurisdiction. */
export const handler = apiHandler('getTip', async ({ record }) => {
  return tipForOfficer(record.state);
});
