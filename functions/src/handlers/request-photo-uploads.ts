import { maxPhotosPerTip } from '@qingling/shared/tips/schemas.ts';
import { tipProjection, tipStream, tipsterActor } from '@qingling/shared/tips/tip.ts';
import { dependencies } from '../dependencies.ts';
import { ApiFailure, apiHandler } from '../http/api-handler.ts';
import { photoUploadForms, tipByReceipt } from '../tips/tip-access.ts';

/** POST /api/tips/photo-uploads: forms for more photos, up to 12 on a tip in all. */
export const handler = apiHandler('requestPhotoUploads', async ({ body }) => {
  const { tipId, snapshot } = await tipByReceipt(body.receipt);
  const used = snapshot.state.photoSlots.length;
  if (used + body.count > maxPhotosPerTip) {
    throw new ApiFailure('invalid_request', [
      {
        path: 'count',
        message: {
          zh: `每条举报最多 ${maxPhotosPerTip} 张照片，还可以添加 ${maxPhotosPerTip - used} 张。`,
          en: `A tip holds at most ${maxPhotosPerTip} photos; ${maxPhotosPerTip - used} more can be added.`,
        },
      },
    ]);
  }
  const photoIds = Array.from({ length: body.count }, (_, index) => `p${used + index + 1}`);
  const result = await dependencies.eventStore().append(
    tipStream(tipId),
    snapshot,
    {
      type: 'photo_slots_opened',
      at: dependencies.clock().now().toISOString(),
      actor: tipsterActor,
      data: { photoIds },
    },
    tipProjection,
  );
  if (result.kind !== 'appended') throw new ApiFailure('conflict');
  return { status: 201, body: { photoUploads: await photoUploadForms(tipId, photoIds) } };
});
