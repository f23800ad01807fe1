import type { Bilingual } from '../i18n/text.ts';

/**
 * Evidence photos of a hazard (issue 14): taken when it is found, by the enterprise with its
 * plan, progress and fix, and by the officer who verifies. The browser uploads each to a key
 * the server chose under the hazard's own prefix; the photo processor strips its metadata
 * and stores the cleaned copy under evidence/<hazardId>/; the event that names the photo
 * records the SHA-256 of that cleaned copy, so the exported log can prove what was shown.
 */
export interface EvidencePhoto {
  key: string;
  /** SHA-256 (hex) of the stored, cleaned photo as it was when the event was written. */
  sha256: string;
}

/** At most this many photos on one step (an event); the forms asked for at once, too. */
export const maxPhotosPerStep = 12;
export const maxUploadFormsPerRequest = 6;

const hazardIdPattern = /^[a-z2-7]{26}$/;
/** The upload's own name: a random UUID the server chose (the form pins the key). */
const uploadIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where the cleaned copy of a hazard's photo is stored: what events name. */
export const storedEvidenceKey = (hazardId: string, uploadId: string) =>
  `evidence/${hazardId}/${uploadId}`;
/**
 * Where a stored photo's thumbnail is (a tip's or a hazard's): beside it, under the same
 * prefix and so under the same grants. Lists show it; the photo itself opens full size.
 */
export const thumbnailKeyOf = (key: string) => `${key.replace(/\.jpg$/, '')}-thumb.jpg`;

/** Where the browser uploads it (the processor takes every object under incoming/). */
export const incomingEvidenceKey = (hazardId: string, uploadId: string) =>
  `incoming/hazards/${hazardId}/${uploadId}`;

/** The stored key an incoming upload becomes, or null for a key that is not a hazard's. */
export function storedKeyOfIncoming(key: string): string | null {
  const [root, kind, hazardId = '', uploadId = '', ...rest] = key.split('/');
  if (root !== 'incoming' || kind !== 'hazards' || rest.length > 0) return null;
  if (!hazardIdPattern.test(hazardId) || !uploadIdPattern.test(uploadId)) return null;
  return storedEvidenceKey(hazardId, uploadId);
}

/**
 * Why these photo keys cannot go on this hazard's event, or null: a key under another
 * hazard. (Their shape and number are the API schema's to check: evidenceKeys in
 * schemas.ts; a photo named twice is kept once: see photosFor.)
 */
export function photoKeysRefusal(hazardId: string, keys: readonly string[]): Bilingual | null {
  return keys.every((key) => key.startsWith(`evidence/${hazardId}/`)) ? null : notThisHazards;
}

export const notThisHazards: Bilingual = {
  zh: '照片不属于这条隐患。',
  en: 'A photo does not belong to this hazard.',
};

/** A photo not stored (yet): still being processed, refused, or never uploaded. */
export const photoNotStored: Bilingual = {
  zh: '照片尚未处理完成或未上传成功，请稍后重试。',
  en: 'A photo is not processed yet, or was not uploaded: try again shortly.',
};

/** Every photo an event names, whichever step it is on. */
export function photosOfEvent(event: { data?: unknown }): EvidencePhoto[] {
  const data = event.data as { photos?: unknown } | undefined;
  if (!data || !Array.isArray(data.photos)) return [];
  return data.photos.filter(
    (photo): photo is EvidencePhoto =>
      typeof photo === 'object' &&
      photo !== null &&
      typeof (photo as EvidencePhoto).key === 'string' &&
      typeof (photo as EvidencePhoto).sha256 === 'string',
  );
}

/** A position the officer chose to record where the hazard was found (WGS84). */
export interface FoundPosition {
  latitude: number;
  longitude: number;
}

/** What a command says of its photos: the keys the browser gave, their hashes once read. */
export interface PhotosGiven {
  photoKeys?: readonly string[];
  /** Filled in by the server from the stored copies (the browser's word is not taken). */
  photos?: readonly EvidencePhoto[];
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/**
 * The photos an event records for a command, in the order given, or the refusal: keys
 * that are not this hazard's, or a photo whose stored copy (and so hash) is not known.
 */
export function photosFor(
  hazardId: string,
  given: PhotosGiven,
): { photos: EvidencePhoto[] } | { refusal: Bilingual } {
  const known = given.photos ?? [];
  const keys = [...new Set(given.photoKeys ?? known.map((photo) => photo.key))];
  const refusal = photoKeysRefusal(hazardId, keys);
  if (refusal) return { refusal };
  const photos: EvidencePhoto[] = [];
  for (const key of keys) {
    const photo = known.find((candidate) => candidate.key === key);
    if (!photo || !sha256Pattern.test(photo.sha256)) return { refusal: photoNotStored };
    photos.push({ key, sha256: photo.sha256 });
  }
  return { photos };
}
