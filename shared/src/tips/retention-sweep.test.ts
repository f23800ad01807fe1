import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { sweepSealedData } from './retention-sweep.ts';
import { tipProjection } from './tip-projection.ts';
import { tipStream, tipsterActor } from './tip-state.ts';

const officer = { kind: 'person' as const, id: 'officer-1' };

/** A tip with a sealed phone, refused on 7 Jan 2026: its matter ended then. */
async function refusedTip(store: MemoryEventStore, tipId: string) {
  const received = await store.append(
    tipStream(tipId),
    null,
    {
      type: 'tip_received',
      at: '2026-01-06T02:00:00.000Z',
      actor: tipsterActor,
      idempotencyKey: 'tip_received',
      data: {
        tipId,
        channel: 'web',
        jurisdiction: 'cq-gecheng',
        industry: 'warehousing',
        address: '三号库',
        description: '安全出口被堵',
        seenOn: '2026-01-05',
        isEmployee: false,
        wantsReward: true,
        contactSealed: 'v1.sealed-phone',
        photoIds: [],
        contentDigest: 'd',
        acceptDeadline: '2026-01-09T16:00:00.000Z',
      },
    },
    tipProjection,
  );
  if (received.kind !== 'appended') throw new Error(received.kind);
  await store.append(
    tipStream(tipId),
    received.snapshot,
    {
      type: 'tip_refused',
      at: '2026-01-07T02:00:00.000Z',
      actor: officer,
      data: { reason: 'no_target_or_facts' },
    },
    tipProjection,
  );
}

describe('the retention sweep', () => {
  it('finishes a tip a run stopped on (a crash after the tombstones), and erases it once', async () => {
    const store = new MemoryEventStore();
    await refusedTip(store, 't1');
    let crash = true;
    const tombstoned: string[] = [];
    const deps = {
      events: store,
      clock: { now: () => new Date('2026-07-10T00:00:00.000Z') }, // 184 days on
      jurisdictions: ['cq-gecheng'],
      policy: async () => ({ sealedDataDays: 180 }),
      // The index as the state says (the adapter Queries it).
      due: async function* () {
        const state = (await store.load(tipStream('t1'), tipProjection))?.state;
        if (state?.contactSealed) yield 't1';
      },
      tombstone: async (stream: string) => {
        tombstoned.push(stream);
        if (crash) {
          crash = false;
          throw new Error('the function timed out');
        }
        return { tombstoned: 1, kept: 0 };
      },
    };
    await expect(sweepSealedData(deps)).rejects.toThrow('timed out');
    expect((await store.read(tipStream('t1'))).map((event) => event.type)).not.toContain(
      'contact_erased',
    );
    expect(await sweepSealedData(deps)).toMatchObject({ erased: ['t1'], tombstoned: 1 });
    expect(await sweepSealedData(deps)).toMatchObject({ erased: [], tombstoned: 0 });
    const events = await store.read(tipStream('t1'));
    expect(events.filter((event) => event.type === 'contact_erased')).toEqual([
      expect.objectContaining({
        actor: { kind: 'system', id: 'retention-sweep' },
        data: {
          fields: ['contact'],
          matterEndedAt: '2026-01-07T02:00:00.000Z',
          retentionDays: 180,
        },
      }),
    ]);
    const state = (await store.load(tipStream('t1'), tipProjection))?.state;
    expect(state?.contactSealed).toBeUndefined();
    expect(state?.sealedErased).toEqual({ at: '2026-07-10T00:00:00.000Z', fields: ['contact'] });
  });

  it('erases nothing before its time, whatever the index says', async () => {
    const store = new MemoryEventStore();
    await refusedTip(store, 't2');
    const result = await sweepSealedData({
      events: store,
      clock: { now: () => new Date('2026-07-05T00:00:00.000Z') }, // 179 days on
      jurisdictions: ['cq-gecheng'],
      policy: async () => ({ sealedDataDays: 180 }),
      due: async function* () {
        yield 't2';
      },
      tombstone: async () => {
        throw new Error('must not be called');
      },
    });
    expect(result.erased).toEqual([]);
    expect((await store.load(tipStream('t2'), tipProjection))?.state.contactSealed).toBe(
      'v1.sealed-phone',
    );
  });

  it('stops between tips when its budget runs out, for the next run to go on', async () => {
    const store = new MemoryEventStore();
    await refusedTip(store, 't3');
    const result = await sweepSealedData({
      events: store,
      clock: { now: () => new Date('2026-07-10T00:00:00.000Z') },
      jurisdictions: ['cq-gecheng'],
      policy: async () => ({ sealedDataDays: 180 }),
      due: async function* () {
        yield 't3';
      },
      tombstone: async () => ({ tombstoned: 0, kept: 0 }),
      expired: () => true,
    });
    expect(result).toMatchObject({ erased: [], unfinished: true });
  });
});
