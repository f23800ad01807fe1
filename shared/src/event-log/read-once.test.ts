import { describe, expect, it } from 'vitest';
import { appendWithRetry } from './append-with-retry.ts';
import type { Projection } from './event-store.ts';
import { MemoryEventStore } from './memory-event-store.ts';
import { withRecordJustRead } from './read-once.ts';

const counter: Projection<{ count: number }> = {
  apply: (state) => ({ count: (state?.count ?? 0) + 1 }),
};
const event = (key: string) => ({
  type: 'counted',
  data: {},
  at: '2026-12-03T00:00:00.000Z',
  actor: { kind: 'system' as const, id: 'test' },
  idempotencyKey: key,
});

class CountingStore extends MemoryEventStore {
  loads = 0;
  override async load<State>(stream: string, projection: Projection<State>) {
    this.loads += 1;
    return super.load(stream, projection);
  }
}

describe('a record just read, handed to the decision', () => {
  it('answers the first load of that stream without reading it again', async () => {
    const store = new CountingStore();
    await store.append('S#1', null, event('a'), counter);
    const known = await store.load('S#1', counter);
    if (!known) throw new Error('no record');
    const events = withRecordJustRead(store, known);
    store.loads = 0;
    expect(await events.load('S#1', counter)).toBe(known);
    expect(store.loads).toBe(0);
    // The next load, and any other stream's, reads the store.
    expect((await events.load('S#1', counter))?.version).toBe(1);
    await events.load('S#2', counter);
    expect(store.loads).toBe(2);
  });

  it('decides again on a fresh read when the record changed since it was read', async () => {
    const store = new CountingStore();
    await store.append('S#1', null, event('a'), counter);
    const known = await store.load('S#1', counter);
    if (!known) throw new Error('no record');
    // Someone else writes after the scope check read the record.
    await store.append('S#1', known, event('b'), counter);
    const events = withRecordJustRead(store, known);
    const outcome = await appendWithRetry(
      events,
      counter,
      await events.load('S#1', counter),
      () => event('c'),
      { attempts: 3 },
    );
    expect(outcome.kind).toBe('appended');
    const now = await store.load('S#1', counter);
    expect(now?.state.count).toBe(3);
    expect(now?.version).toBe(3);
  });
});
