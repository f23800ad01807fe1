import type { EventStore } from '../event-log/event-store.ts';
import type { Clock } from '../ports/clock.ts';
import { decideOnRecord } from '../workflow/decisions.ts';
import {
  type RetentionPolicy,
  rewardMatterEndedAt,
  sealedDataCutoff,
  sealedDataDueAt,
  sealedFieldsOf,
} from './retention.ts';
import { tipProjection } from './tip-projection.ts';
import { type TipState, tipStream } from './tip-state.ts';

/**
 * The retention sweep over tips (retention.ts has the rule): for each tip whose sealed
 * data are due, every sealed value on its log is replaced by its tombstone first, then
 * `contact_erased` is appended, whose state keeps none (and so leaves the sweep's index).
 * In that order, each step a conditional single-item write: a sweep stopped anywhere (a
 * crash, the budget) leaves the tip on the index, and the next one finishes it; a tip
 * already erased is not found again.
 */
export interface RetentionSweepDependencies {
  events: EventStore;
  clock: Clock;
  jurisdictions: readonly string[];
  policy: (jurisdiction: string) => Promise<RetentionPolicy>;
  /** The tips of a jurisdiction on the sweep's index whose matter ended before `cutoff`. */
  due: (jurisdiction: string, cutoff: string) => AsyncIterable<string>;
  /** Replaces each sealed value on a stream's events by its tombstone (hash version 2). */
  tombstone: (stream: string) => Promise<{ tombstoned: number; kept: number }>;
  /** When to stop (between tips); a tip left is the next run's. */
  expired?: () => boolean;
}

export interface RetentionSweep {
  /** Tips whose sealed data this run erased. */
  erased: string[];
  /** Sealed values replaced by their tombstone on the logs. */
  tombstoned: number;
  /**
   * Sealed values left on events recorded before hash version 2: their hash is over the
   * ciphertext, so erasing it would break the chain. The state no longer holds them.
   */
  keptOnOldEvents: number;
  /** Stopped by its budget: tips are left for the next run. */
  unfinished: boolean;
}

const sweepActor = { kind: 'system' as const, id: 'retention-sweep' };

class NothingToErase extends Error {}

export async function sweepSealedData(deps: RetentionSweepDependencies): Promise<RetentionSweep> {
  const run: RetentionSweep = { erased: [], tombstoned: 0, keptOnOldEvents: 0, unfinished: false };
  const now = deps.clock.now();
  for (const jurisdiction of deps.jurisdictions) {
    const policy = await deps.policy(jurisdiction);
    for await (const tipId of deps.due(jurisdiction, sealedDataCutoff(now, policy))) {
      if (deps.expired?.()) {
        run.unfinished = true;
        return run;
      }
      if (await eraseTip(deps, tipId, policy, now, run)) run.erased.push(tipId);
    }
  }
  return run;
}

async function eraseTip(
  deps: RetentionSweepDependencies,
  tipId: string,
  policy: RetentionPolicy,
  now: Date,
  run: RetentionSweep,
): Promise<boolean> {
  const stream = tipStream(tipId);
  const snapshot = await deps.events.load(stream, tipProjection);
  const due = snapshot && sealedDataDueAt(snapshot.state, policy);
  // The index may lag its state (an erasure whose state write is the load's repair).
  if (!due || due > now) return false;
  const log = await deps.tombstone(stream);
  run.tombstoned += log.tombstoned;
  run.keptOnOldEvents += log.kept;
  const outcome = await decideOnRecord<TipState>({
    events: deps.events,
    stream,
    projection: tipProjection,
    idempotencyKey: `${tipId}#sealed-erased`,
    actor: sweepActor,
    now: () => deps.clock.now(),
    decide: (state) => {
      const fields = sealedFieldsOf(state);
      const matterEndedAt = rewardMatterEndedAt(state);
      if (!fields.length || !matterEndedAt) throw new NothingToErase();
      return {
        type: 'contact_erased',
        data: { fields, matterEndedAt, retentionDays: policy.sealedDataDays },
      };
    },
    wake: async () => {},
  }).catch((error: unknown) => {
    if (error instanceof NothingToErase) return undefined;
    throw error;
  });
  return outcome?.kind === 'done' && !outcome.duplicate;
}
