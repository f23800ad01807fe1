import type { EventStore, Projection } from '@qingling/shared/event-log/event-store.ts';
import { describe, expect, it } from 'vitest';
import { asOneTurn, turnSharedContacts, turnSharedEvents } from './turn-reads.ts';

// A step's turn reads the enterprise's record and the contact lists once (issue 11's burst):
// shared within a lifecycle task, read afresh by the next one and by anything outside a turn.
function countingStore() {
  const loads: string[] = [];
  let version = 1;
  let failNext = false;
  const store: EventStore = {
    load: async <State>(stream: string) => {
      loads.push(stream);
      if (failNext) {
        failNext = false;
        throw new Error('throttled');
      }
      return { stream, state: { version } as State, version, head: 'h', idempotencyKeys: [] };
    },
    read: async () => [],
    firstEvent: async () => null,
    append: async () => {
      throw new Error('not in this test');
    },
  };
  return {
    loads,
    store,
    edit: () => {
      version += 1;
    },
    failNext: () => {
      failNext = true;
    },
  };
}

const projection = {} as Projection<{ version: number }>;
const shared = (stream: string) => stream.startsWith('ENTERPRISE#');

describe("a lifecycle turn's shared reads", () => {
  it('reads an enterprise once in a turn, and again in the next turn (an edit reaches it)', async () => {
    const { loads, store, edit } = countingStore();
    const events = turnSharedEvents(store, shared);
    const versions = await asOneTurn(async () => {
      const name = await events.load('ENTERPRISE#cq#U1', projection);
      const [principal, controller] = await Promise.all([
        events.load('ENTERPRISE#cq#U1', projection),
        events.load('ENTERPRISE#cq#U1', projection),
      ]);
      return [name, principal, controller].map((snapshot) => snapshot?.version);
    });
    expect(versions).toEqual([1, 1, 1]);
    expect(loads).toEqual(['ENTERPRISE#cq#U1']);
    edit();
    const next = await asOneTurn(() => events.load('ENTERPRISE#cq#U1', projection));
    expect(next?.version).toBe(2);
    expect(loads).toHaveLength(2);
  });

  it('reads the hazard every time, and everything outside a turn', async () => {
    const { loads, store } = countingStore();
    const events = turnSharedEvents(store, shared);
    await asOneTurn(async () => {
      await events.load('HAZARD#h1', projection);
      await events.load('HAZARD#h1', projection);
    });
    await events.load('ENTERPRISE#cq#U1', projection);
    await events.load('ENTERPRISE#cq#U1', projection);
    expect(loads).toEqual(['HAZARD#h1', 'HAZARD#h1', 'ENTERPRISE#cq#U1', 'ENTERPRISE#cq#U1']);
  });

  it('does not keep a failed read: a retry in the same turn reads again', async () => {
    const { loads, store, failNext } = countingStore();
    const events = turnSharedEvents(store, shared);
    failNext();
    const retried = await asOneTurn(async () => {
      await expect(events.load('ENTERPRISE#cq#U1', projection)).rejects.toThrow('throttled');
      return events.load('ENTERPRISE#cq#U1', projection);
    });
    expect(retried?.version).toBe(1);
    expect(loads).toHaveLength(2);
  });

  it('reads a jurisdiction’s contact lists once a turn', async () => {
    let reads = 0;
    const contacts = turnSharedContacts({
      jurisdictionContacts: async () => {
        reads += 1;
        return undefined;
      },
    });
    await asOneTurn(async () => {
      await contacts.jurisdictionContacts('cq-gecheng');
      await contacts.jurisdictionContacts('cq-gecheng');
    });
    expect(reads).toBe(1);
    await contacts.jurisdictionContacts('cq-gecheng');
    expect(reads).toBe(2);
  });
});
