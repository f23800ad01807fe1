import { verifyAccessLink } from '@qingling/shared/enterprises/access-link.ts';
import type { Snapshot } from '@qingling/shared/event-log/event-store.ts';
import {
  type HazardState,
  hazardProjection,
  hazardStream,
} from '@qingling/shared/hazards/hazard.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { type PhotoReadUrls, photoReadUrls } from './evidence-photos.ts';
import { linkKey } from './link-key.ts';

/** The hazard a link opens, or 403 for any link that is forged, broken or out of date. */
export async function hazardByLink(token: string): Promise<Snapshot<HazardState>> {
  const check = await verifyAccessLink(await linkKey(), token, dependencies.clock().now());
  if (!check.valid) throw new ApiFailure('link_invalid');
  const snapshot = await dependencies
    .eventStore()
    .load(hazardStream(check.hazardId), hazardProjection);
  if (!snapshot) throw new ApiFailure('link_invalid');
  return snapshot;
}

/**
 * The enterprise's view with read URLs of the photos it sent itself: never the office's
 * (found, verification), which stay in the console.
 */
export async function enterprisePhotoUrls<View extends { progress: { photoKeys?: string[] }[] }>(
  view: View,
): Promise<View & Partial<PhotoReadUrls>> {
  const photos = view.progress.flatMap((update) =>
    (update.photoKeys ?? []).map((key) => ({ key, sha256: '' })),
  );
  if (photos.length === 0) return view;
  return { ...view, ...(await photoReadUrls([{ data: { photos } }])) };
}
