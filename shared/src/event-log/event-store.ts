import type { EventShape, NewEvent, Recorded, RecordedEvent } from './event-log.ts';

/**
 * How a record's current state is derived from its log: a pure fold, plus the index
 * attributes (gsi1pk/gsi1sk…) that let lists answer from an index instead of a Scan.
 */
export interface Projection<State> {
  apply(state: State | null, event: RecordedEvent): State;
  indexes?(state: State): Record<string, string>;
  tally?: Tally<State>;
  /**
   * An event the record's lifecycle plans nothing from (a message, a photo): its writer
   * wakes no lifecycle, so the reconciler must not expect one to have seen it (it would
   * wake it, and count a repair, for nothing).
   */
  unplanned?(event: RecordedEvent): boolean;
}

/**
 * Counters kept beside the states (statistics): each record is a member of one counter
 * item, with a code that names the count cells it adds to. After each state write the
 * store moves the member from its old code's cells to the new one's in one conditional
 * single-item write. Codes of later versions sort after earlier ones (as strings).
 */
export interface Tally<State> {
  of(
    state: State,
    version: number,
  ): { partition: string; sort: string; member: string; code: string };
  /** What each cell gains (or loses) when a member's code goes from `before` to `after`. */
  deltas(before: string | null, after: string): Record<string, number>;
  /**
   * The record's first write leaves it uncounted: the reconciler's sweep of recent changes
   * counts it (or its next write does). For a record whose creation has a budget of writes
   * the tally's four would break (a tip's intake, issue 13).
   */
  deferFirst?: boolean;
  /**
   * Cells a write leaves to the reconciler's sweep when they are all it would move: the
   * hazards' escalations by day (`esc|`), which every ladder step would otherwise move
   * with four writes of its own, on the path the steps due at one hour queue on (issue 11).
   * Only the weekly report reads them, long after the sweep's quarter of an hour.
   */
  deferredCell?(cell: string): boolean;
}

/**
 * A projection whose fold reads its record kind's own events (a HazardEvent, a TipEvent…),
 * narrowed on `type` with no cast. A record's stream holds only the events its kind's
 * commands and workflow append: this is the one place the log's events are taken as the
 * kind's union.
 */
export function projectionOf<State, Event extends EventShape>(fold: {
  apply(state: State | null, event: Recorded<Event>): State;
  indexes?(state: State): Record<string, string>;
  tally?: Tally<State>;
  unplanned?: ReadonlySet<Event['type']>;
}): Projection<State> {
  const { indexes, tally, unplanned } = fold;
  return {
    apply: (state, event) => fold.apply(state, event as Recorded<Event>),
    ...(indexes ? { indexes } : {}),
    ...(tally ? { tally } : {}),
    ...(unplanned ? { unplanned: (event) => unplanned.has(event.type as Event['type']) } : {}),
  };
}

/** A record as it stands: its state, the sequence of its last event, and its chain head. */
export interface Snapshot<State> {
  stream: string;
  state: State;
  version: number;
  head: string;
  /** Every idempotency key recorded on the stream: a key is never recorded twice. */
  idempotencyKeys: readonly string[];
  /**
   * The state as the store's state item still holds it, when an append left the item for
   * the next one (AppendOptions.stateLater): the next append writes it on this version;
   * null when the record's first append left it, and there is no state item yet.
   */
  stored?: { version: number; state: State } | null;
}

export interface AppendOptions {
  /**
   * Write the event only; the state item follows with the next append, which the caller
   * makes at once (a lifecycle turn's next write: issue 11, one write fewer a step; an
   * imported row's record and its rectification or closure). Until then every load folds
   * the event on from the same read (the last event beside the state), and a writer's
   * load repairs the item, as after a crash between the two.
   */
  stateLater?: boolean;
}

export type AppendResult<State> =
  | { kind: 'appended'; snapshot: Snapshot<State>; event: RecordedEvent }
  /** Someone else appended first: reload, decide again. Nothing was written. */
  | { kind: 'conflict'; current: Snapshot<State> | null }
  /**
   * An event with the same idempotency key is already on the log. Nothing was written.
   * Whether it was written for the same request is the caller's to check against the
   * recorded event (idempotency.ts): a client's key reused for other content is refused.
   */
  | { kind: 'duplicate'; snapshot: Snapshot<State> };

/**
 * Port: the append-only logs and their derived state. The adapter must use single-item
 * conditional writes only (the embedded cloud has no transactions): an append writes one
 * event into a sequence slot that must be free, then the state item on a version condition;
 * a crash between the two is repaired from the log by the next load. One event per append
 * keeps every append all-or-nothing.
 */
export interface EventStore {
  load<State>(stream: string, projection: Projection<State>): Promise<Snapshot<State> | null>;
  read(stream: string): Promise<RecordedEvent[]>;
  /**
   * The event the record began with (null: no such record): what fixes its kind and its
   * jurisdiction, read without folding the log (a scope check that needs no projection).
   */
  firstEvent(stream: string): Promise<RecordedEvent | null>;
  /**
   * Appends to a stream expected to be at `expected` (null: the stream must not exist yet).
   * Refuses with 'duplicate' when the event's idempotency key is already recorded.
   */
  append<State>(
    stream: string,
    expected: Snapshot<State> | null,
    event: NewEvent,
    projection: Projection<State>,
    options?: AppendOptions,
  ): Promise<AppendResult<State>>;
}
