import { appendWithRetry, snapshotAfter } from '../event-log/append-with-retry.ts';
import type { Actor, EventShape } from '../event-log/event-log.ts';
import type { AppendOptions, EventStore, Projection, Snapshot } from '../event-log/event-store.ts';
import type { Clock } from '../ports/clock.ts';

/**
 * What every record's lifecycle workflow (a hazard's, a tip's) shares: turns planned from
 * the record and the clock, and generations. Each execution claims its generation on the
 * record's log before it acts; every write is conditional on the log's version, so once a
 * newer generation has claimed the record, an older execution's write conflicts, it
 * reloads, sees the newer generation, and stops: two executions never both act.
 */
export type TurnPlan = {
  /** `plan`: only after recording steps, for anything but a wait: the Plan task decides. */
  action: 'escalate' | 'wait' | 'done' | 'renew' | 'plan';
  timeoutSeconds: number;
  turn: number;
  /**
   * The record's version this turn planned from. The wait compares it with the record's
   * version once its wake-up can be found: a decision written in between wakes it at once.
   * 0: there is no such record.
   */
  version: number;
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

/**
 * Steps fall due at a few instants (09:00 of a working day, midnight at a deadline): a
 * record wakes up to this long after its step's time, at an offset fixed by its id, so
 * that ten thousand records due at 09:00 spread over five minutes instead of arriving in
 * the same second. Well inside the 15 minutes after which a step counts as late.
 */
export const spreadWindowSeconds = 300;

/** The record's fixed offset within the spread window (FNV-1a of its id), in seconds. */
export function spreadSeconds(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index += 1) {
    hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193) >>> 0;
  }
  return hash % spreadWindowSeconds;
}

/**
 * Seconds to wait until `at` (or the longest wait when nothing is due), 1 to 2,000,000;
 * with `spread`, that many seconds after `at` (the record's offset in the spread window).
 */
export function waitSeconds(now: Date, at: Date | null, spread = 0): number {
  const seconds = at ? Math.ceil((at.getTime() - now.getTime()) / 1000) + spread : maxWaitSeconds;
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
export async function appendAsGeneration<
  State extends { generation: number },
  Event extends EventShape,
>(
  log: GenerationalLog<State>,
  snapshot: Snapshot<State>,
  generation: number,
  decide: (state: State) => (Event & { idempotencyKey: string }) | null,
  options: AppendOptions = {},
): Promise<Snapshot<State> | null> {
  const outcome = await appendWithRetry(
    log.events,
    log.projection,
    snapshot,
    (current) => {
      if (current.state.generation !== generation) return null;
      const event = decide(current.state);
      return event && { ...event, at: log.clock.now().toISOString(), actor: log.actor };
    },
    { attempts: 10, ...options },
  );
  switch (outcome.kind) {
    case 'declined':
      return outcome.snapshot.state.generation === generation ? outcome.snapshot : null;
    case 'appended':
    case 'duplicate':
      return outcome.snapshot;
    default:
      throw new Error(`The log kept changing: ${snapshot.stream}`);
  }
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
  const outcome = await appendWithRetry(
    log.events,
    log.projection,
    snapshot,
    (current) =>
      current.state.generation >= generation
        ? null
        : {
            type: 'lifecycle_generation_started',
            data: { generation },
            at: log.clock.now().toISOString(),
            actor: log.actor,
            idempotencyKey: `generation#${generation}`,
          },
    { attempts: 10 },
  );
  const current = snapshotAfter(outcome);
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

/**
 * Where Plan leaves the record it planned an `escalate` from, for RecordDueSteps right after
 * it in the same process (the local runner runs both tasks of one record one after the
 * other; on AWS they are separate functions and nothing is handed over): the turn reads the
 * record once, not twice (issue 11). A snapshot handed over is as safe as one read again:
 * RecordDueSteps only acts through writes conditional on its version, so a decision written
 * in between makes the write conflict, and the turn decides again from the record as it is.
 */
export class PlannedSnapshots<State> {
  private readonly kept = new Map<string, Snapshot<State>>();

  keep(snapshot: Snapshot<State>): void {
    this.kept.set(snapshot.stream, snapshot);
  }

  /** The snapshot Plan left for this record, once (null: read the record). */
  take(stream: string): Snapshot<State> | null {
    const snapshot = this.kept.get(stream) ?? null;
    this.kept.delete(stream);
    return snapshot;
  }
}

/** What a turn's recording work did, and the plan that follows it (see afterRecording). */
export type StepsRecorded = {
  recorded: number;
  delivered: number;
  next: TurnPlan;
};

/**
 * What follows a turn's recording work. A wait goes straight to the timer, planned from the
 * snapshot the recording ended on (no second read of the record, no second task); anything
 * else (more to record, renewal, the end) goes through Plan, which alone claims, renews and
 * ends. `turn` is the turn the recording work belonged to.
 */
export function afterRecording(plan: Omit<TurnPlan, 'turn'> | null, turn: number): TurnPlan {
  return plan?.action === 'wait'
    ? { ...plan, turn: turn + 1 }
    : { action: 'plan', timeoutSeconds: 1, turn, version: plan?.version ?? 0 };
}

/** A recorded step still to be delivered: neither delivered nor withdrawn. */
export const outstanding = (entry: { delivered: boolean; withdrawn?: boolean }) =>
  !entry.delivered && !entry.withdrawn;

/**
 * A turn's recording work: records every due step once (its key is the idempotency key),
 * in order; then `between` (other once-only work); then delivers each recorded,
 * undelivered step and marks it delivered. A crash between delivering and marking
 * delivers again: at least once, with the same key (the outbox and the delivery ledger
 * send a key once). A stale generation does nothing.
 *
 * With `withdrawal` and `started`, the record decides, at the moment each delivery attempt
 * begins, whether it still wants it: the start is an event appended on the version just
 * read, so a decision (a closure) written in between makes it conflict, and the step is
 * withdrawn on the log instead, never delivered and never silently dropped. A closure
 * written after the start finds that attempt's messages in flight (sent before the close
 * was seen, not after it); an attempt that failed is decided again, as the record is then.
 */
export async function recordThenDeliver<
  State extends { generation: number },
  Event extends EventShape,
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
    /** The event that starts an attempt to deliver a step (keyed by attempt). */
    started?: (entry: Entry) => Event & { idempotencyKey: string };
  },
): Promise<{ recorded: number; delivered: number; snapshot: Snapshot<State> | null }> {
  let snapshot = loaded;
  let recorded = 0;
  for (let step = 0; snapshot && step < steps.most; step += 1) {
    const before: number = snapshot.version;
    // A recorded step is outstanding: its delivery's start (or withdrawal) is written right
    // after, and the state item with the next write that does (one write fewer, issue 11).
    const later = { stateLater: Boolean(steps.started && steps.withdrawal) };
    snapshot = await appendAsGeneration(log, snapshot, generation, steps.nextDue, later);
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
    const { withdrawal, started } = steps;
    if (withdrawal && started) {
      // A start is followed by the step's `delivered`, which writes the state item for both
      // (and for its recording): the item lags while the messages go, and a crash then
      // leaves it to the next load (issue 11). A withdrawal writes it at once.
      const pending = entryOf(snapshot.state, key);
      const starting = Boolean(pending && !withdrawal(snapshot.state, pending));
      // Withdraw, or start the delivery, on the record as it is now (a conflict re-decides).
      snapshot = await appendAsGeneration(
        log,
        snapshot,
        generation,
        (state) => {
          const current = entryOf(state, key);
          if (!current || !outstanding(current)) return null;
          return withdrawal(state, current) ?? started(current);
        },
        { stateLater: starting },
      );
      if (!snapshot) break;
    }
    const entry = entryOf(snapshot.state, key);
    if (!entry || !outstanding(entry)) continue;
    await steps.deliver(snapshot.state, entry);
    const before: number = snapshot.version;
    snapshot = await appendAsGeneration(log, snapshot, generation, (state) =>
      entryOf(state, key)?.delivered ? null : steps.delivered(entry),
    );
    if (snapshot && snapshot.version !== before) delivered += 1;
  }
  return { recorded, delivered, snapshot };
}
