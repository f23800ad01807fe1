import { hazardIdFor, hazardIdForTip } from '@qingling/shared/hazards/ids.ts';
import { evidenceUploadForms } from '../hazards/evidence-photos.ts';
import { hazardForJurisdictionsOf } from '../hazards/hazard-access.ts';
import { apiHandler } from '../http/hazard-evidence-api.ts';
import { requireKnownJurisdiction } from '../http/known-jurisdiction.ts';
import { tipForJurisdictionsOf } from '../tips/tip-access.ts';

/**
 * POST /api/office/hazards/photo-uploads: upload forms for an officer's photos of a hazard.
 * A hazard about to be recorded has its id already: the one its record request will get
 * from the same idempotency key (or tip), so its photos are uploaded first and named in
 * that request. A recorded hazard (verification) is named by id, within the jurisdiction.
 * Forms change nothing: only the command that names a photo puts it on the hazard's log.
 */
export const handler = apiHandler('requestHazardPhotoUploads', async ({ body }) => {
  await requireKnownJurisdiction(body.jurisdiction);
  let hazardId: string;
  if (body.hazardId) {
    hazardId = (await hazardForJurisdictionsOf(body.hazardId, [body.jurisdiction])).state.hazardId;
  } else if (body.tipId) {
    await tipForJurisdictionsOf(body.tipId, [body.jurisdiction]);
    hazardId = await hazardIdForTip(body.jurisdiction, body.tipId);
  } else {
    hazardId = await hazardIdFor(body.jurisdiction, body.idempotencyKey ?? '');
  }
  return {
    status: 201,
    body: { hazardId, photoUploads: await evidenceUploadForms(hazardId, body.count) },
  };
});
