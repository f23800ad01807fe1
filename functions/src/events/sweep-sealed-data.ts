import { defaultRetention } from '@qingling/shared/tips/retention.ts';
import { type RetentionSweep, sweepSealedData } from '@qingling/shared/tips/retention-sweep.ts';
import type { Context } from 'aws-lambda';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';

/**
 * What the sweep keeps of its function's time: it starts no tip with less left (a tip is a
 * few writes; one stopped between them is finished by the next run).
 */
export const sweepReserveMs = 30_000;

/**
 * The retention sweep (EventBridge, daily at 03:00 CST; the embedded cloud runs it on its
 * heartbeat): erases the sealed phone and bank details of every tip whose reward matter
 * ended longer ago than its jurisdiction's retention period (tips/retention.ts). Idempotent:
 * a second run finds nothing.
 */
export async function handler(
  _event?: unknown,
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
): Promise<RetentionSweep> {
  return sweepRetention(
    () => (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) < sweepReserveMs,
  );
}

export async function sweepRetention(expired?: () => boolean): Promise<RetentionSweep> {
  const store = dependencies.sealedData();
  // The stored policies, read once a run: the retention is kept with each ladder.
  const stored = await dependencies.policyStore().read();
  const result = await sweepSealedData({
    events: dependencies.eventStore(),
    clock: dependencies.clock(),
    jurisdictions: (await dependencies.jurisdictions()).map(({ code }) => code),
    policy: async (jurisdiction) =>
      stored.escalationPolicies.find((policy) => policy.jurisdiction === jurisdiction)?.retention ??
      defaultRetention,
    due: (jurisdiction, cutoff) => store.due(jurisdiction, cutoff),
    tombstone: (stream) => store.tombstone(stream),
    ...(expired ? { expired } : {}),
  });
  if (result.erased.length || result.unfinished) {
    const { erased, tombstoned, keptOnOldEvents, unfinished } = result;
    logger.info('Sealed data erased', {
      tips: erased.length,
      tombstoned,
      keptOnOldEvents,
      unfinished,
    });
  }
  return result;
}
