import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedCalendar } from '../calendar/calendar.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { defaultEscalationPolicy } from '../hazards/escalation.ts';
import type { TurnPlan } from '../workflow/turns.ts';
import { receiveTip, type TipIntakeDependencies } from './intake.ts';
import { planTipTurn } from './lifecycle.ts';
import type { CreateTip } from './schemas.ts';
import { defaultTipTimeLimits } from './time-limits.ts';
import { tipProjection } from './tip-projection.ts';
import { tipStream, tipsterActor } from './tip-state.ts';

const now = new Date('2026-03-02T02:00:00.000Z');
let store: MemoryEventStore;
let started: string[];
let firstTurns: (TurnPlan | null)[];

const deps = (): TipIntakeDependencies => ({
  events: store,
  receiptKeys: { receiptKey: async () => new Uint8Array(32).fill(7) },
  contactVault: { seal: async (contact) => `sealed:${contact}` },
  calendar: async () => seedCalendar,
  officeHours: defaultEscalationPolicy.officeHours,
  workflow: {
    wake: async (tipId) => {
      started.push(`wake ${tipId}`);
    },
    begin: async (tipId, generation, firstTurn) => {
      started.push(`begin ${tipId} ${generation}`);
      firstTurns.push(firstTurn ?? null);
    },
  },
});

const submission: CreateTip = {
  idempotencyKey: '6f1c2d3e-4b5a-4c6d-8e7f-901234567890',
  jurisdiction: 'cq-gecheng',
  industry: 'fire',
  address: '葛城街道 1 号',
  description: '仓库的消防通道被货物堵住了。',
  seenOn: '2026-03-01',
  isEmployee: false,
  wantsReward: true,
  contactPhone: '13800000000',
  photoCount: 2,
};

const receive = (tip: CreateTip = submission) =>
  receiveTip(deps(), { submission: tip, channel: 'web', actor: tipsterActor, now });

beforeEach(() => {
  store = new MemoryEventStore();
  started = [];
  firstTurns = [];
});

describe('receiveTip', () => {
  it('records the tip under a keyed id, seals the contact and begins its lifecycle', async () => {
    const intake = await receive();
    if (intake.kind !== 'received') throw new Error(intake.kind);
    expect(intake.receipt).not.toBe('');
    expect(intake.photoIds).toEqual(['p1', 'p2']);
    expect(started).toEqual([`begin ${intake.tipId} 1`]);
    const [event] = await store.read(tipStream(intake.tipId));
    expect(event?.at).toBe(now.toISOString());
    expect(event?.data).toMatchObject({
      contactSealed: 'sealed:13800000000',
      photoIds: ['p1', 'p2'],
    });
    // The phone itself is nowhere on the log.
    expect(JSON.stringify(event)).not.toContain('"13800000000"');
    expect(intake.state.generation).toBe(1);
    expect(intake.state.acceptDeadline > now.toISOString()).toBe(true);
  });

  it('answers a retry with the same receipt, forms for the waiting slots only, and a wake', async () => {
    const first = await receive();
    if (first.kind !== 'received') throw new Error(first.kind);
    const tip = await store.load(tipStream(first.tipId), tipProjection);
    if (!tip) throw new Error('no tip');
    await store.append(
      tip.stream,
      tip,
      {
        type: 'photo_added',
        at: now.toISOString(),
        actor: { kind: 'system', id: 'photo-processor' },
        data: { photoId: 'p1', key: 'evidence/p1' },
      },
      tipProjection,
    );
    const again = await receive();
    expect(again).toMatchObject({ kind: 'duplicate', receipt: first.receipt, photoIds: ['p2'] });
    expect(started).toEqual([`begin ${first.tipId} 1`, `wake ${first.tipId}`]);
    expect(await store.read(tip.stream)).toHaveLength(2);
  });

  it('refuses the same key with other content, writing nothing', async () => {
    const first = await receive();
    if (first.kind !== 'received') throw new Error(first.kind);
    const other = await receive({ ...submission, description: '另一件事：配电箱没有盖子。' });
    expect(other).toEqual({ kind: 'other_content' });
    expect(await store.read(tipStream(first.tipId))).toHaveLength(1);
  });
});

describe('the first turn intake plans (issue 13: the lifecycle starts at its wait)', () => {
  it('is what Plan decides from the same tip and clock, at any hour of 2026', async () => {
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const end = Date.parse('2026-12-31T00:00:00.000Z');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: start, max: end }), async (at) => {
        store = new MemoryEventStore();
        firstTurns = [];
        const when = new Date(at);
        const intake = await receiveTip(deps(), {
          submission: { ...submission, seenOn: '2025-12-31' },
          channel: 'web',
          actor: tipsterActor,
          now: when,
        });
        if (intake.kind !== 'received') throw new Error(intake.kind);
        const planned = await planTipTurn(
          {
            events: store,
            notifier: { send: async () => {} },
            clock: { now: () => when },
            limits: defaultTipTimeLimits,
            calendar: seedCalendar,
            officeHours: defaultEscalationPolicy.officeHours,
          },
          { tipId: intake.tipId, generation: 1, turn: 0 },
        );
        expect(firstTurns).toEqual([planned]);
      }),
      { numRuns: 200 },
    );
  });
});
