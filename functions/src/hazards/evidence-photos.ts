import { randomUUID } from 'node:crypto';
import {
  type EvidencePhoto,
  incomingEvidenceKey,
  notThisHazards,
  photoNotStored,
  photosOfEvent,
  storedEvidenceKey,
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

/** Short-lived read URLs for every photo on these events, by key. */
export async function photoReadUrls(
  events: readonly { data?: unknown }[],
): Promise<Record<string, string>> {
  const store = dependencies.blobReadUrls();
  const keys = [...new Set(events.flatMap((event) => photosOfEvent(event).map((p) => p.key)))];
  const entries = await Promise.all(
    keys.map(async (key) => [key, await store.createReadUrl(key, readUrlSeconds)] as const),
  );
  return Object.fromEntries(entries);
}
