import { randomUUID } from 'node:crypto';
import {
  type EvidencePhoto,
  incomingEvidenceKey,
  notThisHazards,
  photoNotStored,
  photosOfEvent,
  storedEvidenceKey,
  thumbnailKeyOf,
} from '@qingling/shared/hazards/evidence.ts';
import { tipLimits } from '@qingling/shared/tips/limits.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';

/** How long a read URL opens a photo: long enough to look, short enough not to be a link. */
const readUrlSeconds = 300;

/**
 * Forms for new photos of a hazard: each pins an incoming/ key of its own (a random id),
 * the types and the size a tip's photo may have (tips/limits.ts). `photoKey` is the key the cleaned copy
 * will have, which the browser names in its command once the upload is done.
 */
export async function evidenceUploadForms(hazardId: string, count: number) {
  const store = dependencies.blobStore();
  return Promise.all(
    Array.from({ length: count }, async () => {
      const uploadId = randomUUID();
      const form = await store.createUploadForm({
        key: incomingEvidenceKey(hazardId, uploadId),
        contentTypes: tipLimits.photoTypes,
        maxBytes: tipLimits.photoBytes,
        expiresInSeconds: 3600,
      });
      return { photoKey: storedEvidenceKey(hazardId, uploadId), ...form };
    }),
  );
}

/**
 * The photos a request names, each with the SHA-256 of its stored (cleaned) copy, read
 * here: the browser's word for a hash is never taken. A key that is not this hazard's, or
 * whose photo is not stored (still processing, refused, never sent), refuses the request.
 */
export async function hashedPhotos(
  hazardId: string,
  keys: readonly string[] | undefined,
  path = 'photoKeys',
): Promise<EvidencePhoto[]> {
  if (!keys || keys.length === 0) return [];
  // Another hazard's key: refused before it is read (its photo is none of the caller's).
  if (keys.some((key) => !key.startsWith(`evidence/${hazardId}/`))) {
    throw new ApiFailure('invalid_request', [{ path, message: notThisHazards }]);
  }
  const digests = dependencies.blobDigests();
  return Promise.all(
    [...new Set(keys)].map(async (key) => {
      const sha256 = await digests.sha256Of(key);
      if (!sha256) throw new ApiFailure('invalid_request', [{ path, message: photoNotStored }]);
      return { key, sha256 };
    }),
  );
}

/** Short-lived read URLs for every photo on these events, and for their thumbnails, by key. */
export function photoReadUrls(events: readonly { data?: unknown }[]): Promise<PhotoReadUrls> {
  return readUrlsOf(events.flatMap((event) => photosOfEvent(event).map((photo) => photo.key)));
}

export interface PhotoReadUrls {
  photoUrls: Record<string, string>;
  /** The same photos' thumbnails (thumbnailKeyOf), for the lists; a photo stored before
   * thumbnails existed has none behind its URL, and the page falls back to the photo. */
  thumbnailUrls: Record<string, string>;
}

/** Short-lived read URLs of these stored photos and of their thumbnails, by the photo's key. */
export async function readUrlsOf(keys: readonly string[]): Promise<PhotoReadUrls> {
  const store = dependencies.blobReadUrls();
  const signed = async (key: string) =>
    [key, await store.createReadUrl(key, readUrlSeconds)] as const;
  const unique = [...new Set(keys)];
  const [photos, thumbnails] = await Promise.all([
    Promise.all(unique.map(signed)),
    Promise.all(unique.map(async (key) => [key, (await signed(thumbnailKeyOf(key)))[1]] as const)),
  ]);
  return { photoUrls: Object.fromEntries(photos), thumbnailUrls: Object.fromEntries(thumbnails) };
}
