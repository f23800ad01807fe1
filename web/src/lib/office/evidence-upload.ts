import { photoNotStored } from '@qingling/shared/hazards/evidence.ts';
import type { hazardUploadFormSchema } from '@qingling/shared/hazards/schemas.ts';
import type * as z from 'zod';
import { RequestError } from '#lib/api.ts';
import { m } from '#lib/paraglide/messages.js';
import { PhotoQueue } from '#lib/tips/photo-queue.svelte.ts';

/** A form for one photo of a hazard: `photoKey` is what the command then names. */
export type HazardUploadForm = z.output<typeof hazardUploadFormSchema>;

/** At most this many photos on one step (the API's maxPhotosPerStep would allow 12). */
export const photosPerStep = 6;

/** The photos of one hazard form: picked and resized as a tip's, kept in memory only. */
export const evidenceQueue = () => new PhotoQueue({ max: photosPerStep, keep: false });

/** What each queue's photos were sent for (a submission's key, a hazard's id). */
const sentFor = new WeakMap<PhotoQueue, string>();

/**
 * Uploads what is not sent yet with forms `ask` returns for `target` (a photo sent for
 * another target, a submission made anew under a new key, is sent again), and answers the
 * keys of every photo sent, in the order shown. Throws when one did not go.
 */
export async function uploadEvidence(
  queue: PhotoQueue,
  target: string,
  ask: (count: number) => Promise<{ photoUploads: HazardUploadForm[] }>,
): Promise<string[]> {
  if (sentFor.get(queue) !== target) {
    for (const item of queue.items) {
      if (item.status === 'uploaded' || item.status === 'arrived') {
        item.status = 'ready';
        item.slot = undefined;
      }
    }
    sentFor.set(queue, target);
  }
  const unsent = queue.sendable;
  if (unsent.length > 0) {
    const { photoUploads } = await ask(unsent.length);
    const forms = photoUploads.map(({ photoKey, url, fields }) => ({
      photoId: photoKey,
      url,
      fields,
    }));
    if (!(await queue.upload(unsent, forms))) throw new Error(m.hz_photos_failed());
  }
  return queue.items.flatMap((item) =>
    item.slot && (item.status === 'uploaded' || item.status === 'arrived') ? [item.slot] : [],
  );
}

/** On AWS a photo is cleaned a moment after its upload: a command naming it may come first. */
export async function whilePhotosArrive<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (failure) {
      const notYet =
        failure instanceof RequestError &&
        failure.issues.some((issue) => issue.message.en === photoNotStored.en) &&
        attempt < 5;
      if (!notYet) throw failure;
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}
