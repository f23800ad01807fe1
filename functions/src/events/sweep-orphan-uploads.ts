import { photosOfEvent } from '@qingling/shared/hazards/evidence.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import {
  type OrphanSweep,
  orphanEvidencePolicy,
  sweepOrphanEvidence,
} from '@qingling/shared/hazards/orphan-evidence.ts';
import type { Context } from 'aws-lambda';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';

/** What the sweep keeps of its function's time: it starts no hazard with less left. */
export const orphanSweepReserveMs = 30_000;

/**
 * The orphan upload sweep (EventBridge, daily at 04:00 CST; the embedded cloud runs it once
 * a day by its clock): removes the evidence photos, and their thumbnails, stored longer ago
 * than the policy's age that no event of their hazard names (hazards/orphan-evidence.ts).
 * Idempotent: a second run finds nothing more to remove. A run out of time stops between
 * hazards; the next day's goes through them again.
 */
export async function handler(
  _event?: unknown,
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
): Promise<OrphanSweep> {
  return sweepOrphanUploads(
    () =>
      (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) < orphanSweepReserveMs,
  );
}

/** The photos an event names: with their hashes, and by key alone (an update's photoKeys). */
function photoKeysOfEvent(event: { data?: unknown }): string[] {
  const keys = (event.data as { photoKeys?: unknown } | undefined)?.photoKeys;
  return [
    ...photosOfEvent(event).map((photo) => photo.key),
    ...(Array.isArray(keys) ? keys.filter((key): key is string => typeof key === 'string') : []),
  ];
}

export async function sweepOrphanUploads(expired?: () => boolean): Promise<OrphanSweep> {
  const events = dependencies.eventStore();
  const store = dependencies.blobStore();
  const result = await sweepOrphanEvidence({
    listing: dependencies.blobListing().list(orphanEvidencePolicy.prefix),
    now: dependencies.clock().now(),
    // Every photo any event of the hazard names (none for a hazard never recorded).
    named: async (hazardId) =>
      new Set((await events.read(hazardStream(hazardId))).flatMap(photoKeysOfEvent)),
    remove: (key) => store.delete(key),
    ...(expired ? { expired } : {}),
  });
  if (result.removed.length || result.unfinished) {
    logger.info('Orphan uploads removed', {
      removed: result.removed.length,
      kept: result.kept,
      unfinished: result.unfinished,
    });
  }
  return result;
}
