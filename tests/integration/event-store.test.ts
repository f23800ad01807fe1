import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEventStore } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { sealEvent, verifyChain } from '@qingling/shared/event-log/event-log.ts';
import type { Projection, Snapshot } from '@qingling/shared/event-log/event-store.ts';
import { RecordFull } from '@qingling/shared/event-log/record-size.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '#local/dynamodb.ts';
import { byOperation, watchDynamoCalls } from '../support/dynamo-calls.ts';
import { temporaryDataDirectory } from '../support/embedded-cloud.ts';

// The event store against dynalite, the embedded cloud's DynamoDB: no transactions, only
// single-item conditional writes.
interface Counter {
  count: number;
  notes: string[];
}
const counter: Projection<Counter> = {
  apply: (state, event) => ({
    count: (state?.count ?? 0) + 1,
    notes: [...(state?.notes ?? []), String((event.data as { note: string }).note)],
  }),
  indexes: (state) => ({ gsi1pk: 'COUNTERS', gsi1sk: String(state.count).padStart(6, '0') }),
};
const actor = { kind: 'person' as const, id: 'demo:officer' };
const note = (text: string, idempotencyKey?: string) => ({
  type: 'noted',
  at: '2026-11-22T08:00:00.000Z',
  actor,
  data: { note: text },
  ...(idempotencyKey ? { idempotencyKey } : {}),
});

let dynamo: LocalDynamo;
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let store: DynamoEventStore;
const documents = () => createDocumentClient(dynamo.client);

beforeAll(async () => {
  data = await temporaryDataDirectory();
  dynamo = await startLocalDynamo({ path: data.path, tableName: 'events' });
  store = new DynamoEventStore(documents(), 'events');
});
afterAll(async () => {
  await dynamo.stop();
  await data.remove();
});

describe('DynamoEventStore', () => {
  it('refuses an append whose state would not fit in one item, before writing anything', async () => {
    // 105 KB notes (3 bytes a character): the third takes the state past 300 KiB.
    const big = '隐'.repeat(35_000);
    let snapshot = null as Snapshot<Counter> | null;
    for (let index = 0; index < 2; index += 1) {
      const appended = await store.append('S#full', snapshot, note(big), counter);
      if (appended.kind !== 'appended') throw new Error(appended.kind);
      snapshot = appended.snapshot;
    }
    await expect(store.append('S#full', snapshot, note(big), counter)).rejects.toThrow(RecordFull);
    // Nothing was written: the log and the state are as they were, and the record goes on.
    expect(await store.read('S#full')).toHaveLength(2);
    expect(await store.load('S#full', counter)).toMatchObject({ version: 2 });
    const small = await store.append('S#full', snapshot, note('小'), counter);
    expect(small).toMatchObject({ kind: 'appended', snapshot: { version: 3 } });
  });

  it('appends, derives the state and keeps an unbroken chain', async () => {
    const first = await store.append('S#1', null, note('一'), counter);
    if (first.kind !== 'appended') throw new Error(first.kind);
    const second = await store.append('S#1', first.snapshot, note('二'), counter);
    if (second.kind !== 'appended') throw new Error(second.kind);
    const loaded = await store.load('S#1', counter);
    expect(loaded).toMatchObject({ version: 2, state: { count: 2, notes: ['一', '二'] } });
    const events = await store.read('S#1');
    expect(await verifyChain(events)).toEqual({ valid: true, head: loaded?.head });
  });

  it('creates a stream once: a retried creation with the same key is a duplicate', async () => {
    const results = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      results.push(await store.append('S#create', null, note('新', 'client-key-1'), counter));
    }
    expect(results.map((result) => result.kind)).toEqual([
      'appended',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect(await store.read('S#create')).toHaveLength(1);
  });

  it('lets exactly one of many concurrent appenders at the same version win', async () => {
    const start = await store.append('S#race', null, note('0'), counter);
    if (start.kind !== 'appended') throw new Error(start.kind);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        store.append('S#race', start.snapshot, note(`racer ${index}`), counter),
      ),
    );
    expect(results.filter((result) => result.kind === 'appended')).toHaveLength(1);
    expect(results.filter((result) => result.kind === 'conflict')).toHaveLength(19);
    const events = await store.read('S#race');
    expect(events).toHaveLength(2);
    expect((await verifyChain(events)).valid).toBe(true);
  });

  it('never records the same idempotency key twice, even when the caller is behind', async () => {
    const start = await store.append('S#keys', null, note('0'), counter);
    if (start.kind !== 'appended') throw new Error(start.kind);
    const step = note('函告', 'h1#1#notice_letter');
    const [a, b] = await Promise.all([
      store.append('S#keys', start.snapshot, step, counter),
      store.append('S#keys', start.snapshot, step, counter),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(['appended', 'duplicate']);
    // A caller holding the old snapshot, told of a conflict, reloads and is told: duplicate.
    const current = await store.load('S#keys', counter);
    expect((await store.append('S#keys', current, step, counter)).kind).toBe('duplicate');
    expect(await store.read('S#keys')).toHaveLength(2);
  });

  it('repairs the state from the log when an append stopped between its two writes', async () => {
    const start = await store.append('S#crash', null, note('0'), counter);
    if (start.kind !== 'appended') throw new Error(start.kind);
    // The event write happened, the state write did not (a crash in between).
    const orphan = await sealEvent(
      'S#crash',
      { sequence: 1, hash: start.snapshot.head },
      note('孤'),
    );
    await documents().send(
      new PutCommand({
        TableName: 'events',
        Item: { pk: 'S#crash', sk: 'E#0000000002', ...orphan },
      }),
    );
    const loaded = await store.load('S#crash', counter);
    expect(loaded).toMatchObject({ version: 2, state: { count: 2, notes: ['0', '孤'] } });
    // The repair was written back, with its index attributes.
    const again = await store.load('S#crash', counter);
    expect(again?.version).toBe(2);
    const next = await store.append('S#crash', loaded, note('2'), counter);
    expect(next.kind).toBe('appended');
  });

  /** Writes events as a crash leaves them: on the log, the state item not (yet) written. */
  async function orphans(
    stream: string,
    after: { sequence: number; hash: string } | null,
    n: number,
  ) {
    let previous = after;
    for (let index = 0; index < n; index += 1) {
      const event = await sealEvent(stream, previous, note(`孤${index}`));
      await documents().send(
        new PutCommand({
          TableName: 'events',
          Item: { pk: stream, sk: `E#${String(event.sequence).padStart(10, '0')}`, ...event },
        }),
      );
      previous = event;
    }
  }

  it('loads a stream whose first event was stored without its state, and writes the state', async () => {
    await orphans('S#first', null, 1);
    expect(await store.load('S#first', counter)).toMatchObject({
      version: 1,
      state: { count: 1, notes: ['孤0'] },
    });
    const watch = watchDynamoCalls();
    try {
      expect((await store.load('S#first', counter))?.version).toBe(1);
      // Repaired: the next load is one Query and no write.
      expect(byOperation(watch.calls)).toEqual({ Query: 1 });
    } finally {
      watch.stop();
    }
  });

  it('loads a state more than one event behind its log from the log', async () => {
    const start = await store.append('S#behind', null, note('0'), counter);
    if (start.kind !== 'appended') throw new Error(start.kind);
    await orphans('S#behind', { sequence: 1, hash: start.snapshot.head }, 3);
    const loaded = await store.load('S#behind', counter);
    expect(loaded).toMatchObject({ version: 4, state: { count: 4 } });
    expect(loaded?.state.notes).toEqual(['0', '孤0', '孤1', '孤2']);
    expect((await verifyChain(await store.read('S#behind'))).valid).toBe(true);
    expect((await store.append('S#behind', loaded, note('4'), counter)).kind).toBe('appended');
  });

  it('answers a load of an unknown stream with null, in one Query', async () => {
    const watch = watchDynamoCalls();
    try {
      expect(await store.load('S#none', counter)).toBeNull();
      expect(byOperation(watch.calls)).toEqual({ Query: 1 });
    } finally {
      watch.stop();
    }
  });

  it('leaves the state item for the next append when asked, and the next writes it on the old one', async () => {
    const first = await store.append('S#later', null, note('0'), counter);
    if (first.kind !== 'appended') throw new Error(first.kind);
    const watch = watchDynamoCalls();
    try {
      // Issue 11: the event alone (one Put), the state item left as it was.
      const second = await store.append('S#later', first.snapshot, note('1'), counter, {
        stateLater: true,
      });
      if (second.kind !== 'appended') throw new Error(second.kind);
      expect(byOperation(watch.calls)).toEqual({ PutItem: 1 });
      expect(second.snapshot).toMatchObject({ version: 2, stored: { version: 1 } });
      // A reader in between (one that may not repair) finds the event beside the state in
      // its one Query. (A writer's load would repair the item, as after a crash; the next
      // append's state write then finds it moved on and leaves it to the log.)
      const reader = new DynamoEventStore(documents(), 'events', { repairs: () => false });
      const from = watch.calls.length;
      expect(await reader.load('S#later', counter)).toMatchObject({
        version: 2,
        state: { count: 2 },
      });
      expect(byOperation(watch.since(from))).toEqual({ Query: 1 });
      // The next append writes the state item on the version it still holds.
      const third = await store.append('S#later', second.snapshot, note('2'), counter);
      if (third.kind !== 'appended') throw new Error(third.kind);
      const after = watch.calls.length;
      expect(await store.load('S#later', counter)).toMatchObject({
        version: 3,
        state: { count: 3, notes: ['0', '1', '2'] },
      });
      // Written, not repaired: the load after it is one Query.
      expect(byOperation(watch.since(after))).toEqual({ Query: 1 });
    } finally {
      watch.stop();
    }
  });

  /** A record's first event, its state item left for the second (an imported row's). */
  const firstLeftForSecond = async (stream: string) => {
    const first = await store.append(stream, null, note('0'), counter, { stateLater: true });
    if (first.kind !== 'appended') throw new Error(first.kind);
    return first;
  };

  it("leaves a record's first state item for its second event, and a writer's load repairs it if none comes", async () => {
    const watch = watchDynamoCalls();
    try {
      // An imported row: its record and its rectification, the state written once for both.
      const first = await firstLeftForSecond('S#first-later');
      expect(first.snapshot).toMatchObject({ version: 1, stored: null });
      const second = await store.append('S#first-later', first.snapshot, note('1'), counter);
      if (second.kind !== 'appended') throw new Error(second.kind);
      expect(byOperation(watch.calls)).toEqual({ PutItem: 3 });
      const after = watch.calls.length;
      expect(await store.load('S#first-later', counter)).toMatchObject({
        version: 2,
        state: { count: 2, notes: ['0', '1'] },
      });
      expect(byOperation(watch.since(after))).toEqual({ Query: 1 });

      // A writer's load between the two (the same row posted again) writes the state item
      // from the log at the first event's version: the second event's write goes on it.
      const raced = await firstLeftForSecond('S#first-raced');
      expect(await store.load('S#first-raced', counter)).toMatchObject({ version: 1 });
      const racedSecond = await store.append('S#first-raced', raced.snapshot, note('1'), counter);
      if (racedSecond.kind !== 'appended') throw new Error(racedSecond.kind);
      const racedFrom = watch.calls.length;
      expect(await store.load('S#first-raced', counter)).toMatchObject({
        version: 2,
        state: { count: 2, notes: ['0', '1'] },
      });
      // Written on the repaired item, not left a version behind for the next load to mend.
      expect(byOperation(watch.since(racedFrom))).toEqual({ Query: 1 });

      // The second event never comes (a crash, a refusal): the record is there from its log,
      // and the first writer to load it writes its state item.
      await firstLeftForSecond('S#first-alone');
      const reader = new DynamoEventStore(documents(), 'events', { repairs: () => false });
      expect(await reader.load('S#first-alone', counter)).toMatchObject({
        version: 1,
        state: { count: 1 },
      });
      const repairedFrom = watch.calls.length;
      expect(await store.load('S#first-alone', counter)).toMatchObject({ version: 1 });
      expect(byOperation(watch.since(repairedFrom))).toEqual({ Query: 1, PutItem: 1 });
      const loadedFrom = watch.calls.length;
      expect(await store.load('S#first-alone', counter)).toMatchObject({ version: 1 });
      expect(byOperation(watch.since(loadedFrom))).toEqual({ Query: 1 });
    } finally {
      watch.stop();
    }
  });
});
