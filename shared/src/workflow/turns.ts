import type { Actor, NewEvent } from '../event-log/event-log.ts';
import type { AppendResult, EventStore, Projection, Snapshot } from '../event-log/event-store.ts';
import type { Clock } from '../ports/clock.ts';

/**
 * What every record's lifecycle workflow (a hazard's, a tip's) shares: turns planned from
 * the record and the clock, and generations. Each execution claims its generation on the
 * record's log before it acts; every write is conditional on the log's version, so once a
 * newer generation has claimed the record, an older execution's write conflicts, it
 * reloads, sees the newer generation, and stops: two executions never both act.
 */
export type TurnPlan = {
  action: 'escalate' | 'wait' | 'done' | 'renew';
  timeoutSeconds: number;
  turn: number;
};

/** Below Node's 24.8-day timer overflow (the local runner) and AWS's limits. */
export const maxWaitSeconds = 2_000_000;

/**
 * When an execution hands over to the next generation: well before Standard workflows'
 * one-year limit, and before 25,000 history events (a turn costs about 15).
 */
export const renewal = { afterTurns: 1_000, afterDays: 300 };

export interface TurnInput {
  generation: number;
  /** Turns this execution has taken (the workflow counts them). */
  turn?: number;
  /** When this execution started ($$.Execution.StartTime). */
  startedAt?: string;
}

/** Whether this execution has lived long enough to hand over to the next generation. */
export function dueForRenewal(input: TurnInput, turn: number, now: Date): boolean {
  const age = input.startedAt ? now.getTime() - Date.parse(input.startedAt) : 0;
  return turn > renewal.afterTurns || age > renewal.afterDays * 24 * 3600 * 1000;
}

/** Seconds to wait until `at` (or the longest wait when nothing is due), 1 to 2,000,000. */
export function waitSeconds(now: Date, at: Date | null): number {
  const seconds = at ? Math.ceil((at.getTime() - now.getTime()) / 1000) : maxWaitSeconds;
  return Math.min(maxWaitSeconds, Math.max(1, seconds));
}

export interface GenerationalLog<State extends { generation: number }> {
  events: EventStore;
  clock: Clock;
  projection: Projection<State>;
  actor: Actor;
}

/**
 * Appends a system event, reloading and deciding again when someone else wrote first.
 * Returns null when the record now belongs to another generation (this one must stop).
 */
export async function appendAsGeneration<State extends { generation: number }, Event>(
  log: GenerationalLog<State>,
  snapshot: Snapshot<State>,
  generation: number,
  decide: (state: State) => (Event & { idempotencyKey: string }) | null,
): Promise<Snapshot<State> | null> {
  let current: Snapshot<State> | null = snapshot;
  for (let attempt = 0; attempt < 10 && current; attempt += 1) {
    if (current.state.generation !== generation) return null;
    const event = decide(current.state);
    if (!event) return current;
    const result: AppendResult<State> = await log.events.append(
      current.stream,
      current,
      { ...(event as unknown as NewEvent), at: log.clock.now().toISOString(), actor: log.actor },
      log.projection,
    );
    if (result.kind !== 'conflict') return result.snapshot;
    current = result.current;
  }
  throw new Error(`The log kept changing: ${snapshot.stream}`);
}

/**
 * Claims the record for `generation`: null when a newer generation holds it already.
 * Claiming again (a retried task) finds its own claim on the log and goes on.
 */
export async function claimGeneration<State extends { generation: number }>(
  log: GenerationalLog<State>,
  snapshot: Snapshot<State>,
  generation: number,
): Promise<Snapshot<State> | null> {
  let current: Snapshot<State> | null = snapshot;
  for (let attempt = 0; attempt < 10 && current; attempt += 1) {
    if (current.state.generation > generation) return null;
    if (current.state.generation === generation) return current;
    const result: AppendResult<State> = await log.events.append(
      current.stream,
      current,
      {
        type: 'lifecycle_generation_started',
        data: { generation },
        at: log.clock.now().toISOString(),
        actor: log.actor,
        idempotencyKey: `generation#${generation}`,
      },
      log.projection,
    );
    current = result.kind === 'conflict' ? result.current : result.snapshot;
  }
  return current?.state.generation === generation ? current : null;
}

/** The generation the next execution of a record must carry (its log says who holds it). */
export async function nextGenerationOf<State extends { generation: number }>(
  events: EventStore,
  stream: string,
  projection: Projection<State>,
): Promise<number> {
  const snapshot = await events.load(stream, projection);
  return (snapshot?.state.generation ?? 0) + 1;
}

/** A recorded step still to be delivered: neither delivered nor withdrawn. */
export const outstanding = (entry: { delivered: boolean; withdrawn?: boolean }) =>
  !entry.delivered && !entry.withdrawn;

/**
 * A turn's recording work: records every due step once (its key is the idempotency key),
 * in order; then `between` (other once-only work); then delivers each recorded,
 * undelivered step and marks it delivered. A crash between delivering and marking
 * delivers again: at least once, with the same key. A stale generation does nothing.
 *
 * With `withdrawal`, the record is read again before each delivery (a person's decision,
 * a closure, may have been written since the step was recorded): a step the record no
 * longer wants delivered is withdrawn on the log instead, never delivered and never
 * silently dropped; a delivery retried after that finds the withdrawal and sends nothing.
 */
export async function recordThenDeliver<
  State extends { generation: number },
  Event,
  Entry extends { key: string; delivered: boolean; withdrawn?: boolean },
>(
  log: GenerationalLog<State>,
  loaded: Snapshot<State> | null,
  generation: number,
  steps: {
    /** At most this many steps can fall due in one turn (the ladder's length). */
    most: number;
    nextDue: (state: State) => (Event & { idempotencyKey: string }) | null;
    between?: (snapshot: Snapshot<State>) => Promise<Snapshot<State> | null>;
    recordedSteps: (state: State) => readonly Entry[];
    deliver: (state: State, entry: Entry) => Promise<void>;
    delivered: (entry: Entry) => Event & { idempotencyKey: string };
    /** The event that withdraws a recorded step the record no longer wants delivered. */
    withdrawal?: (state: State, entry: Entry) => (Event & { idempotencyKey: string }) | null;
  },
): Promise<{ recorded: number; delivered: number }> {
  let snapshot = loaded;
  let recorded = 0;
  for (let step = 0; snapshot && step < steps.most; step += 1) {
    const before: number = snapshot.version;
    snapshot = await appendAsGeneration(log, snapshot, generation, steps.nextDue);
    if (!snapshot || snapshot.version === before) break;
    recorded += 1;
  }
  if (snapshot && steps.between) snapshot = await steps.between(snapshot);
  const entryOf = (state: State, key: string) =>
    steps.recordedSteps(state).find((candidate) => candidate.key === key);
  let delivered = 0;
  const keys = snapshot
    ? steps
        .recordedSteps(snapshot.state)
        .filter(outstanding)
        .map((entry) => entry.key)
    : [];
  for (const key of keys) {
    if (!snapshot) break;
    if (steps.withdrawal) {
      // The record as it is now, not as this turn began.
      snapshot = await log.events.load(snapshot.stream, log.projection);
      if (!snapshot || snapshot.state.generation !== generation) break;
    }
    const entry = entryOf(snapshot.state, key);
    if (!entry || !outstanding(entry)) continue;
    const withdrawal = steps.withdrawal;
    if (withdrawal?.(snapshot.state, entry)) {
      snapshot = await appendAsGeneration(log, snapshot, generation, (state) => {
        const current = entryOf(state, key);
        return current && outstanding(current) ? withdrawal(state, current) : null;
      });
      continue;
    }
    await steps.deliver(snapshot.state, entry);
    const before: number = snapshot.version;
    snapshot = await appendAsGeneration(log, snapshot, generation, (state) =>
      entryOf(state, key)?.delivered ? null : steps.delivered(entry),
    );
    if (snapshot && snapshot.version !== before) delivered += 1;
  }
  return { recorded, delivered };
}
