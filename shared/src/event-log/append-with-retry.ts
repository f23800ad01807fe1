import type { NewEvent } from './event-log.ts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  Projection,
  Snapshot,
} from './event-store.ts';

export type RetriedAppend<State> =
  | Exclude<AppendResult<State>, { kind: 'conflict' }>
  /** `decide` wanted nothing written on the record as it is now: nothing was. */
  | { kind: 'declined'; snapshot: Snapshot<State> }
  /** Someone else appended first on every attempt: the record as last read. */
  | { kind: 'exhausted'; current: Snapshot<State> }
  /** There is no record (there was none to begin with, or the store lost it). */
  | { kind: 'missing' };

/**
 * Appends the event `decide` makes of the record as it stands. When someone else appended
 * first (the store refuses a stale append, nothing written), `decide` is asked again on
 * the record as it is now, up to `attempts` appends in all. `decide` may answer null
 * (nothing to write on this state) and may throw (the record's rules refuse).
 */
export async function appendWithRetry<State>(
  events: EventStore,
  projection: Projection<State>,
  from: Snapshot<State> | null,
  decide: (current: Snapshot<State>) => NewEvent | null,
  options: { attempts: number } & AppendOptions,
): Promise<RetriedAppend<State>> {
  const { attempts, ...append } = options;
  let current = from;
  for (let attempt = 0; attempt < attempts && current; attempt += 1) {
    const event = decide(current);
    if (!event) return { kind: 'declined', snapshot: current };
    const result: AppendResult<State> = await events.append(
      current.stream,
      current,
      event,
      projection,
      append,
    );
    if (result.kind !== 'conflict') return result;
    current = result.current;
  }
  return current ? { kind: 'exhausted', current } : { kind: 'missing' };
}

/** The record as the append left it (or found it), whatever came of the append. */
export function snapshotAfter<State>(outcome: RetriedAppend<State>): Snapshot<State> | null {
  switch (outcome.kind) {
    case 'missing':
      return null;
    case 'exhausted':
      return outcome.current;
    default:
      return outcome.snapshot;
  }
}
