import type { SharedLocation } from '@qingling/shared/tips/tip.ts';
import { tipProjection, tipStream } from '@qingling/shared/tips/tip.ts';
import type { S3Event } from 'aws-lambda';
import exifr from 'exifr';
import sharp from 'sharp';
import { dependencies } from '../dependencies.ts';
import { logger } from '../http/api-handler.ts';

const incomingKey = /^incoming\/tips\/([a-z2-7]{26})\/(p\d{1,2})$/;

/**
 * S3 ObjectCreated on incoming/: makes an uploaded photo safe to keep. Whatever the browser
 * did, the photo is re-encoded without any metadata (EXIF, GPS, maker notes, ICC
 * comments); its GPS position is kept, on the tip's log and not in the file, only if the
 * tipster chose to share location. Then the incoming upload is deleted. Idempotent: a
 * redelivered event finds the photo already on the log.
 */
export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    await processPhoto(key, record.s3.object.versionId);
  }
}

export async function processPhoto(
  key: string,
  version?: string,
): Promise<'added' | 'duplicate' | 'refused'> {
  const store = dependencies.blobStore();
  // The upload's own version goes: a versioned bucket keeps no original with its metadata.
  const remove = () => store.delete(key, version);
  const match = incomingKey.exec(key);
  const upload = await store.get(key);
  if (!match || !upload) {
    if (upload) await remove();
    return 'refused';
  }
  const [, tipId = '', photoId = ''] = match;
  const events = dependencies.eventStore();
  const snapshot = await events.load(tipStream(tipId), tipProjection);
  if (!snapshot?.state.photoSlots.includes(photoId)) {
    logger.warn('Upload for no open photo slot; deleted', { photoId });
    await remove();
    return 'refused';
  }

  let clean: Buffer;
  try {
    // rotate() applies the EXIF orientation before the metadata goes; sharp writes none.
    clean = await sharp(upload.bytes, { failOn: 'error' })
      .rotate()
      .resize({ width: 2048, height: 2048, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 85, mozjpeg: true })
      .toBuffer();
  } catch {
    logger.warn('Upload is not a readable image; deleted', { photoId });
    await remove();
    return 'refused';
  }
  const location = snapshot.state.location ? await photoLocation(upload.bytes) : undefined;
  const storedKey = `tips/${tipId}/${photoId}.jpg`;
  await store.put({ key: storedKey, contentType: 'image/jpeg', bytes: new Uint8Array(clean) });

  let expected = snapshot;
  let outcome: 'added' | 'duplicate' = 'duplicate';
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const result = await events.append(
      tipStream(tipId),
      expected,
      {
        type: 'photo_added',
        at: dependencies.clock().now().toISOString(),
        actor: { kind: 'system', id: 'photo-processor' },
        data: { photoId, key: storedKey, ...(location ? { location } : {}) },
        idempotencyKey: `photo:${photoId}`,
      },
      tipProjection,
    );
    if (result.kind === 'conflict' && result.current) {
      expected = result.current;
      continue;
    }
    outcome = result.kind === 'appended' ? 'added' : 'duplicate';
    break;
  }
  await remove();
  return outcome;
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
