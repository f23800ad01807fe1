import type { NewEvent, RecordedEvent } from './event-log.ts';
import type { AppendResult, EventStore, Projection, Snapshot } from './event-store.ts';

/**
 * An in-memory log for tests: the EventStore contract (version conflicts, idempotency keys)
 * without hashing or I/O. Not an adapter: nothing outside tests uses it.
 */
export class MemoryEventStore implements EventStore {
  readonly streams = new Map<string, RecordedEvent[]>();

  private async loaded<State>(stream: string, projection: Projection<State>) {
    const snapshot = await this.load(stream, projection);
    if (!snapshot) throw new Error(`no stream ${stream}`);
    return snapshot;
  }

  async load<State>(stream: string, projection: Projection<State>) {
    const events = this.streams.get(stream) ?? [];
    if (!events.length) return null;
    let state: State | null = null;
    for (const event of events) state = projection.apply(state, event);
    return {
      stream,
      state: state as State,
      version: events.length,
      head: String(events.length),
      idempotencyKeys: events.flatMap((event) => event.idempotencyKey ?? []),
    } satisfies Snapshot<State>;
  }

  async read(stream: string) {
    return this.streams.get(stream) ?? [];
  }

  async firstEvent(stream: string) {
    return this.streams.get(stream)?.[0] ?? null;
  }

  async append<State>(
    stream: string,
    expected: Snapshot<State> | null,
    event: NewEvent,
    projection: Projection<State>,
  ): Promise<AppendResult<State>> {
    const events = this.streams.get(stream) ?? [];
    if (event.idempotencyKey && events.some((e) => e.idempotencyKey === event.idempotencyKey)) {
      return { kind: 'duplicate', snapshot: await this.loaded(stream, projection) };
    }
    if ((expected?.version ?? 0) !== events.length) {
      return { kind: 'conflict', current: await this.load(stream, projection) };
    }
    const recorded: RecordedEvent = {
      ...event,
      stream,
      sequence: events.length + 1,
      previousHash: String(events.length),
      hash: String(events.length + 1),
    };
    this.streams.set(stream, [...events, recorded]);
    return { kind: 'appended', snapshot: await this.loaded(stream, projection), event: recorded };
  }
}
