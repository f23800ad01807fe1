import type { Clock } from '../ports/clock.ts';

/**
 * A change a person, a tipster or an enterprise wrote to a record: its lifecycle must see
 * it. Or `countsOnly`, which wakes nothing and whose counters the sweep checks: the
 * lifecycle's own change whose counters are the sweep's to move (an escalation step's
 * day), or a change no lifecycle plans from (a message, a photo on a tip).
 */
export interface RecentChange {
  stream: string;
  /** The record's version once this change was on it. */
  sequence: number;
  at: string;
  countsOnly?: boolean;
}

/** What a record's lifecycle last said of itself (see DynamoLifecycleWaits). */
export interface LifecycleView {
  stream: string;
  /** When its wait ends; absent once it has ended. */
  until?: string;
  /** The record's version it last planned from. */
  seenVersion?: number;
}

export interface ReconcilerPorts {
  clock: Clock;
  /** Waiting lifecycles whose timer ended before `before`. */
  waitingUntil(before: Date): AsyncIterable<LifecycleView>;
  /** What the record's lifecycle last said of itself; null if it never ran. */
  lifecycleOf(stream: string): Promise<LifecycleView | null>;
  /** Changes written from `from` to `to`. */
  changes(from: Date, to: Date): AsyncIterable<RecentChange>;
  /** Whether records of this stream have a lifecycle (hazards and tips do). */
  hasLifecycle(stream: string): boolean;
  /** Wakes the record's lifecycle, or starts its next generation if none runs. */
  wake(stream: string): Promise<void>;
  /** Checks the record's counters (statistics) against its state; true if it repaired them. */
  checkCounters?(stream: string): Promise<boolean>;
}

/**
 * How long a lifecycle may take to act before the reconciler counts it as missed: a turn
 * takes seconds; a task retried on AWS takes a few minutes at most. The reconciler looks
 * at changes of the last hours: every sweep (each 5 minutes) sees each change many times,
 * so one failed sweep loses nothing.
 */
export const reconcilerTiming = { graceMs: 15 * 60 * 1000, lookBackMs: 6 * 3600 * 1000 };

export interface Reconciliation {
  /** Lifecycles whose timer had ended long ago without them planning again. */
  overdueWaits: number;
  /** Records changed without their lifecycle seeing the change (no wait, or an older view). */
  unseenChanges: number;
  /** Lifecycles woken (or started): each record once per sweep. */
  woken: number;
  /** Changes up to this instant were looked at (a next sweep may start here). */
  until: string;
  /** Records whose counters were behind their state and were moved on (when checked). */
  countersRepaired?: number;
}

/**
 * The reconciler's sweep: nothing lies forgotten. Every record whose lifecycle should be
 * awake or running and is not is woken: a wait whose timer ended more than `graceMs` ago
 * (a lost timer, an execution that failed while waiting), and a change older than
 * `graceMs` that its lifecycle has not planned from (a wake-up lost to a crash, a record
 * whose first event was written but not its state, so its lifecycle never started). The
 * changes looked at are those of the last `lookBackMs`, or from `from` (a runner that
 * sweeps often looks at each change once).
 * Reads two indexes (next-due times, recent changes), never the whole table. Waking is
 * safe to repeat: a lifecycle that is awake after all just plans again.
 */
export async function reconcile(
  ports: ReconcilerPorts,
  timing: { graceMs: number; lookBackMs: number; from?: Date } = reconcilerTiming,
): Promise<Reconciliation> {
  const now = ports.clock.now().getTime();
  const settledBefore = new Date(now - timing.graceMs);
  const woken = new Set<string>();
  const result: Reconciliation = {
    overdueWaits: 0,
    unseenChanges: 0,
    woken: 0,
    until: settledBefore.toISOString(),
  };
  const wake = async (stream: string) => {
    if (woken.has(stream)) return;
    woken.add(stream);
    await ports.wake(stream);
    result.woken += 1;
  };
  for await (const wait of ports.waitingUntil(settledBefore)) {
    result.overdueWaits += 1;
    await wake(wait.stream);
  }
  // The latest change of each record is the one its lifecycle must have seen.
  const latest = new Map<string, number>();
  const changed = new Set<string>();
  const from = timing.from ?? new Date(now - timing.lookBackMs);
  for await (const change of ports.changes(from, settledBefore)) {
    changed.add(change.stream);
    if (change.countsOnly) continue;
    latest.set(change.stream, Math.max(change.sequence, latest.get(change.stream) ?? 0));
  }
  if (ports.checkCounters) {
    // A counter update lost after its state write (a crash between the two), or left to
    // this sweep (deferred cells: the store does not count those as repairs).
    result.countersRepaired = 0;
    for (const stream of changed) {
      if (await ports.checkCounters(stream)) result.countersRepaired += 1;
    }
  }
  for (const [stream, sequence] of latest) {
    if (woken.has(stream) || !ports.hasLifecycle(stream)) continue;
    const view = await ports.lifecycleOf(stream);
    if ((view?.seenVersion ?? 0) >= sequence) continue;
    result.unseenChanges += 1;
    await wake(stream);
  }
  return result;
}
