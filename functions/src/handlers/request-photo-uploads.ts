import { appendWithRetry } from '@qingling/shared/event-log/append-with-retry.ts';
import { maxPhotosPerTip } from '@qingling/shared/tips/schemas.ts';
import { tipProjection, tipsterActor } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/public-tip-api.ts';
import { photoUploadForms, tipByReceipt } from '../tips/tip-access.ts';

/** POST /api/tips/photo-uploads: forms for more photos, up to 12 on a tip in all. */
export const handler = apiHandler('requestPhotoUploads', async ({ body, headers }) => {
  const found = await tipByReceipt(body.receipt, headers);
  const { tipId } = found;
  // Photos landing and the tip's own course append to the log too: a conflict means
  // "look again" (with the slots as they are then), not a refusal.
  let photoIds: string[] = [];
  const outcome = await appendWithRetry(
    dependencies.eventStore(),
    tipProjection,
    found.snapshot,
    ({ state }) => {
      const used = state.photoSlots.length;
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
      photoIds = Array.from({ length: body.count }, (_, index) => `p${used + index + 1}`);
      return {
        type: 'photo_slots_opened',
        at: dependencies.clock().now().toISOString(),
        actor: tipsterActor,
        data: { photoIds },
      };
    },
    { attempts: 10 },
  );
  if (outcome.kind === 'appended') {
    return { status: 201, body: { photoUploads: await photoUploadForms(tipId, photoIds) } };
  }
  throw new ApiFailure('conflict');
});
