import { hazardForEnterprise } from '@qingling/shared/hazards/views.ts';
import { enterprisePhotoUrls, hazardByLink } from '../hazards/enterprise-link.ts';
import { evidenceUploadForms } from '../hazards/evidence-photos.ts';
import { apiHandler } from '../http/enterprise-access-api.ts';

/**
 * POST /api/enterprise/hazard: what the enterprise's link shows (nothing from a tip), with
 * read URLs of its own photos, and forms for new ones when asked (a POST already: the token
 * stays out of URLs). Forms change nothing; the update that names a photo keeps it.
 */
export const handler = apiHandler('viewEnterpriseHazard', async ({ body }) => {
  const snapshot = await hazardByLink(body.token);
  const view = await enterprisePhotoUrls(hazardForEnterprise(snapshot.state));
  return body.photoUploads
    ? {
        ...view,
        photoUploads: await evidenceUploadForms(snapshot.state.hazardId, body.photoUploads),
      }
    : view;
});
