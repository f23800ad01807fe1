import { beforeEach, describe, expect, it } from 'vitest';
import { appendWithRetry, snapshotAfter } from './append-with-retry.ts';
import type { Actor, NewEvent } from './event-log.ts';
import type { Projection } from './event-store.ts';
import { MemoryEventStore } from './memory-event-store.ts';

const actor: Actor = { kind: 'system', id: 'test' };
const counter: Projection<{ count: number }> = {
  apply: (state) => ({ count: (state?.count ?? 0) + 1 }),
};
const event = (type: string, idempotencyKey?: string): NewEvent => ({
  type,
  data: {},
  at: '2026-03-02T02:00:00.000Z',
  actor,
  ...(idempotencyKey ? { idempotencyKey } : {}),
});

let store: MemoryEventStore;
beforeEach(async () => {
  store = new MemoryEventStore();
  await store.append('R#1', null, event('created'), counter);
});

const loaded = () => store.load('R#1', counter);

/** Someone else appends before each of the first `times` appends of the one retrying. */
function raced(times: number) {
  let decisions = 0;
  const decide = () => {
    decisions += 1;
    if (decisions <= times) {
      store.streams.get('R#1')?.push({
        ...event('other'),
        stream: 'R#1',
        sequence: (store.streams.get('R#1')?.length ?? 0) + 1,
        previousHash: '',
        hash: '',
      });
    }
    return event('mine', 'key-1');
  };
  return { decide, decisions: () => decisions };
}

describe('appendWithRetry', () => {
  it('decides again on the record as it is after a conflict, and appends once', async () => {
    const race = raced(2);
    const outcome = await appendWithRetry(store, counter, await loaded(), race.decide, {
      attempts: 5,
    });
    expect(outcome.kind).toBe('appended');
    expect(race.decisions()).toBe(3);
    expect(snapshotAfter(outcome)?.state.count).toBe(4);
    expect((await store.read('R#1')).map((recorded) => recorded.type)).toEqual([
      'created',
      'other',
      'other',
      'mine',
    ]);
  });

  it('gives up after its attempts with the record as last read, writing nothing of its own', async () => {
    const race = raced(10);
    const outcome = await appendWithRetry(store, counter, await loaded(), race.decide, {
      attempts: 3,
    });
    expect(outcome).toMatchObject({ kind: 'exhausted', current: { version: 4 } });
    expect(race.decisions()).toBe(3);
    expect((await store.read('R#1')).some((recorded) => recorded.type === 'mine')).toBe(false);
  });

  it('writes nothing when the decision is null, and says what it saw', async () => {
    const outcome = await appendWithRetry(store, counter, await loaded(), () => null, {
      attempts: 5,
    });
    expect(outcome).toMatchObject({ kind: 'declined', snapshot: { version: 1 } });
  });

  it('answers a recorded key as a duplicate, and a record that is not there as missing', async () => {
    await store.append('R#1', await loaded(), event('mine', 'key-1'), counter);
    const again = await appendWithRetry(
      store,
      counter,
      await loaded(),
      () => event('mine', 'key-1'),
      {
        attempts: 5,
      },
    );
    expect(again.kind).toBe('duplicate');
    const none = await appendWithRetry(store, counter, null, () => event('mine'), { attempts: 5 });
    expect(none).toEqual({ kind: 'missing' });
    expect(snapshotAfter(none)).toBeNull();
  });
});
