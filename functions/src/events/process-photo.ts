import { createHash } from 'node:crypto';
import { appendWithRetry } from '@qingling/shared/event-log/append-with-retry.ts';
import type { Snapshot } from '@qingling/shared/event-log/event-store.ts';
import { storedKeyOfIncoming, thumbnailKeyOf } from '@qingling/shared/hazards/evidence.ts';
import {
  maxPhotoPixels,
  type PhotoRefusal,
  photoSlotStatus,
  type SharedLocation,
  type TipEvent,
  type TipState,
  tipProjection,
  tipStream,
} from '@qingling/shared/tips/tip.ts';
import type { S3Event } from 'aws-lambda';
import exifr from 'exifr';
import sharp, { type Metadata } from 'sharp';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';

const incomingKey = /^incoming\/tips\/([a-z2-7]{26})\/(p\d{1,2})$/;

/** A thumbnail's side: twice the 96 CSS px the photo lists show. */
const thumbnailPixels = 192;

/** What sharp reports for the formats a photo may come in (HEIC is sharp's "heif"). */
const photoFormats: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'heif']);

export type PhotoOutcome =
  | { outcome: 'added' }
  /** The slot was already done: this upload is deleted and changes nothing. */
  | { outcome: 'duplicate' }
  /** Not kept; with a reason when it is on the tip's log for the tipster to see. */
  | { outcome: 'refused'; reason?: PhotoRefusal };

/**
 * S3 ObjectCreated on incoming/: makes an uploaded photo safe to keep. The upload is decoded
 * first: what is not a readable JPEG, PNG, WebP or HEIC image of a sane size is refused,
 * and the refusal goes on the tip's log, where the tipster sees it (on AWS the browser's
 * POST went to S3, which cannot answer for us). A photo is re-encoded without any metadata
 * (EXIF, GPS, maker notes, ICC comments); its GPS position is kept, on the tip's log and
 * not in the file, only if the tipster chose to share location. The incoming upload is
 * deleted either way.
 *
 * The first processed upload of a slot is final: a later one to the same key (the form
 * used again) is deleted and never replaces the evidence. Idempotent: a redelivered event
 * finds the slot done.
 */
export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    await processPhoto(key, record.s3.object.versionId);
  }
}

export async function processPhoto(key: string, version?: string): Promise<PhotoOutcome> {
  const store = dependencies.blobStore();
  // The upload's own version goes: a versioned bucket keeps no original with its metadata.
  const remove = () => store.delete(key, version);
  const evidenceKey = storedKeyOfIncoming(key);
  if (evidenceKey) return processEvidencePhoto(key, evidenceKey, remove);
  const match = incomingKey.exec(key);
  const upload = await store.get(key);
  if (!match || !upload) {
    if (upload) await remove();
    return { outcome: 'refused' };
  }
  const [, tipId = '', photoId = ''] = match;
  const snapshot = await dependencies.eventStore().load(tipStream(tipId), tipProjection);
  if (!snapshot?.state.photoSlots.includes(photoId)) {
    logger.warn('Upload for no open photo slot; deleted', { photoId });
    await remove();
    return { outcome: 'refused' };
  }
  if (photoSlotStatus(snapshot.state, photoId) !== 'waiting') {
    logger.warn('Upload to a slot already done; deleted', { photoId });
    await remove();
    return { outcome: 'duplicate' };
  }

  const decoded = await cleanPhoto(upload.bytes);
  if ('refusal' in decoded) {
    logger.warn('Upload is not a readable photo; refused', { photoId, reason: decoded.refusal });
    const recorded = await settle(tipId, snapshot, {
      type: 'photo_refused',
      data: { photoId, reason: decoded.refusal },
    });
    await remove();
    return recorded === 'appended'
      ? { outcome: 'refused', reason: decoded.refusal }
      : { outcome: 'duplicate' };
  }
  const location = snapshot.state.location ? await photoLocation(upload.bytes) : undefined;
  // Named by its content: a racing second upload to the slot cannot overwrite the photo
  // the log names (the first append wins; the loser's copy is referenced by nothing).
  const digest = createHash('sha256').update(decoded.clean).digest('hex').slice(0, 16);
  const storedKey = `tips/${tipId}/${photoId}-${digest}.jpg`;
  await storeWithThumbnail(storedKey, decoded);
  const recorded = await settle(tipId, snapshot, {
    type: 'photo_added',
    data: { photoId, key: storedKey, ...(location ? { location } : {}) },
  });
  await remove();
  return { outcome: recorded === 'appended' ? 'added' : 'duplicate' };
}

/**
 * A hazard's evidence photo: its key was chosen by the server for a hazard an officer or
 * its enterprise may act on (the form pins it), so it is cleaned and stored under that
 * key's evidence/ name; the event that names it later records its hash. Nothing goes on
 * the hazard's log here. The first stored copy is final, as a tip's: a form posted again
 * never replaces a photo an event may already name by its hash.
 */
async function processEvidencePhoto(
  key: string,
  storedKey: string,
  remove: () => Promise<void>,
): Promise<PhotoOutcome> {
  const store = dependencies.blobStore();
  const upload = await store.get(key);
  if (!upload) return { outcome: 'refused' };
  if (await store.get(storedKey)) {
    await remove();
    return { outcome: 'duplicate' };
  }
  const decoded = await cleanPhoto(upload.bytes);
  if ('refusal' in decoded) {
    logger.warn('Evidence upload is not a readable photo; refused', { reason: decoded.refusal });
    await remove();
    return { outcome: 'refused', reason: decoded.refusal };
  }
  await storeWithThumbnail(storedKey, decoded);
  await remove();
  return { outcome: 'added' };
}

/**
 * The thumbnail first, then the photo: whoever finds the photo stored (an event naming it,
 * a retry checking the slot) finds its thumbnail too.
 */
async function storeWithThumbnail(
  key: string,
  photo: { clean: Uint8Array; thumbnail: Uint8Array },
) {
  const store = dependencies.blobStore();
  await store.put({ key: thumbnailKeyOf(key), contentType: 'image/jpeg', bytes: photo.thumbnail });
  await store.put({ key, contentType: 'image/jpeg', bytes: photo.clean });
}

/**
 * Decodes the upload completely (a truncated or corrupt file fails here, not later), and
 * re-encodes it as a JPEG of at most 2048 px a side, upright and without metadata.
 */
async function cleanPhoto(
  bytes: Uint8Array,
): Promise<{ clean: Uint8Array; thumbnail: Uint8Array } | { refusal: PhotoRefusal }> {
  let metadata: Metadata;
  try {
    // The header only: the format and size are known before any pixel is decoded.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return { refusal: 'not_a_photo' };
  }
  if (!photoFormats.has(metadata.format ?? '')) return { refusal: 'not_a_photo' };
  if ((metadata.width ?? 0) * (metadata.height ?? 0) > maxPhotoPixels) {
    return { refusal: 'too_many_pixels' };
  }
  try {
    // rotate() applies the EXIF orientation before the metadata goes; sharp writes none.
    const clean = await sharp(bytes, { failOn: 'error', limitInputPixels: maxPhotoPixels })
      .rotate()
      .resize({ width: 2048, height: 2048, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 85, mozjpeg: true })
      .toBuffer();
    // A square of twice the 96 px the lists show (sharp on a 2x screen): a few KB where
    // the photo is hundreds, for an officer's phone opening a tip with a dozen photos.
    const thumbnail = await sharp(clean)
      .resize({
        width: thumbnailPixels,
        height: thumbnailPixels,
        fit: 'cover',
        withoutEnlargement: true,
      })
      .jpeg({ quality: 70, mozjpeg: true })
      .toBuffer();
    return { clean: new Uint8Array(clean), thumbnail: new Uint8Array(thumbnail) };
  } catch {
    return { refusal: 'unreadable' };
  }
}

/**
 * Appends the slot's outcome, retrying while others append first (other photos of the tip,
 * its lifecycle); should they win every time, the invocation fails and is retried. The
 * outcome's key is the slot's, for a photo and a refusal alike: a slot gets one outcome.
 */
async function settle(
  tipId: string,
  snapshot: Snapshot<TipState>,
  event: Extract<TipEvent, { type: 'photo_added' | 'photo_refused' }>,
): Promise<'appended' | 'duplicate'> {
  const outcome = await appendWithRetry(
    dependencies.eventStore(),
    tipProjection,
    snapshot,
    () => ({
      ...event,
      at: dependencies.clock().now().toISOString(),
      actor: { kind: 'system', id: 'photo-processor' },
      idempotencyKey: `photo:${event.data.photoId}`,
    }),
    { attempts: 25 },
  );
  if (outcome.kind === 'appended' || outcome.kind === 'duplicate') return outcome.kind;
  if (outcome.kind === 'missing') throw new Error(`Tip ${tipId} vanished while a photo was added`);
  throw new Error(`Tip ${tipId} kept changing while a photo was added`);
}

async function photoLocation(bytes: Uint8Array): Promise<SharedLocation | undefined> {
  try {
    const gps = await exifr.gps(Buffer.from(bytes));
    if (!gps || !Number.isFinite(gps.latitude) || !Number.isFinite(gps.longitude)) return undefined;
    return { latitude: gps.latitude, longitude: gps.longitude, datum: 'WGS84' };
  } catch {
    return undefined;
  }
}
