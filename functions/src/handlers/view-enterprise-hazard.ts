import { hazardForEnterprise } from '@qingling/shared/hazards/views.ts';
import { hazardByLink } from '../hazards/enterprise-link.ts';
import { apiHandler } from '../http/enterprise-access-api.ts';

/** POST /api/enterprise/hazard: what the enterprise's link shows (nothing from a tip). */
export const handler = apiHandler('viewEnterpriseHazard', async ({ body }) => {
  const snapshot = await hazardByLink(body.token);
  return hazardForEnterprise(snapshot.state);
});
