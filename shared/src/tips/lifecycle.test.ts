import { beforeEach, describe, expect, it } from 'vitest';
import { tipReceived } from '../../../tests/support/tip-lifecycle.ts';
import { seedCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { defaultEscalationPolicy } from '../hazards/escalation.ts';
import { renewal } from '../hazards/lifecycle.ts';
import type { Notification } from '../ports/outbox.ts';
import { spreadSeconds } from '../workflow/turns.ts';
import { nextTipGeneration, planTipTurn, recordDueTipSteps } from './lifecycle.ts';
import { defaultTipTimeLimits as limits } from './time-limits.ts';
import { type TipState, tipProjection, tipStream } from './tip.ts';
import { giveTipCommand, type TipCommand } from './triage.ts';

const tipId = 'abcdefghijklmnopqrstuvwxyz';
const description = '仓库安全出口被货物堵死';
const officer: Actor = { kind: 'person', id: 'officer-1' };
const head: Actor = { kind: 'person', id: 'head-1' };

let store: MemoryEventStore;
let now: Date;
let sent: Notification[];
let failNext: boolean;
let keys = 0;

const at = (instant: string) => {
  now = new Date(instant);
};

const deps = () => ({
  events: store,
  clock: { now: () => now },
  limits,
  calendar: seedCalendar,
  officeHours: defaultEscalationPolicy.officeHours,
  notifier: {
    send: async (notification: Notification) => {
      if (failNext) {
        failNext = false;
        throw new Error('Throttled');
      }
      sent.push(notification);
    },
  },
});

async function receive(instant: string, claimed: { lifecycleGeneration?: number } = {}) {
  at(instant);
  await store.append(
    tipStream(tipId),
    null,
    tipReceived(tipId, instant, {
      description,
      seenOn: instant.slice(0, 10),
      isEmployee: true,
      ...claimed,
    }),
    tipProjection,
  );
}

async function give(command: TipCommand, actor = officer) {
  keys += 1;
  const outcome = await giveTipCommand(
    { ...deps(), workflow: { wake: async () => {} } },
    { tipId, command, actor, idempotencyKey: `k${keys}` },
  );
  if (outcome.kind !== 'done') throw new Error(outcome.kind);
}

/** The plan without the version it was made from (one test checks that). */
const plan = async (generation = 1, extra: { turn?: number; startedAt?: string } = {}) => {
  const { version: _version, ...rest } = await planTipTurn(deps(), { tipId, generation, ...extra });
  return rest;
};
/** This tip's fixed offset after a step's time (records due at one instant spread out). */
const spread = spreadSeconds(tipId);
/** What recording did (what it plans next is checked on its own below). */
const record = async (generation = 1) => {
  const { next: _next, ...counts } = await recordDueTipSteps(deps(), { tipId, generation });
  return counts;
};

async function stateOf(): Promise<TipState> {
  const snapshot = await store.load(tipStream(tipId), tipProjection);
  if (!snapshot) throw new Error('no tip');
  return snapshot.state;
}

beforeEach(() => {
  store = new MemoryEventStore();
  sent = [];
  failNext = false;
});

describe('the acceptance limit', () => {
  beforeEach(() => receive('2026-11-19T02:00:00.000Z')); // Thu 10:00 CST

  it('claims the tip and waits for the reminder (Tue 24 Nov 09:00 CST)', async () => {
    expect(await plan()).toEqual({ action: 'wait', timeoutSeconds: 119 * 3600 + spread, turn: 1 });
    expect((await stateOf()).generation).toBe(1);
    expect(await nextTipGeneration(store, tipId)).toBe(2);
    expect(await record()).toEqual({ recorded: 0, delivered: 0 });
  });

  it('records the reminder once and tells the officer with no word of the tip', async () => {
    await plan();
    at('2026-11-24T01:00:00.000Z');
    expect((await plan()).action).toBe('escalate');
    expect(await record()).toEqual({ recorded: 1, delivered: 1 });
    expect(sent).toEqual([
      {
        key: `${tipId}#accept#reminder#assigned_officer`,
        channel: 'sms',
        to: 'assigned_officer@cq-gecheng',
        subject: {
          zh: '举报线索受理期限到期提醒：abcdefgh',
          en: 'Tip acceptance reminder: abcdefgh',
        },
        body: {
          zh: 'cq-gecheng 举报线索 abcdefgh 的受理期限为 2026-11-24，请登录工作台处理。',
          en: 'The acceptance limit of tip abcdefgh in cq-gecheng ends on 2026-11-24: open the console.',
        },
      },
    ]);
    expect(JSON.stringify(sent)).not.toMatch(
      new RegExp(`${description}|东门路|${tipId}#accept#reminder"`),
    );
    // Next: the overdue step to the department head, Wed 25 Nov 09:00 CST.
    expect(await plan()).toEqual({ action: 'wait', timeoutSeconds: 24 * 3600 + spread, turn: 1 });
    // Recording plans that same wait itself: the workflow then goes to the timer, no Plan.
    expect(await recordDueTipSteps(deps(), { tipId, generation: 1 })).toMatchObject({
      recorded: 0,
      delivered: 0,
      next: { action: 'wait', timeoutSeconds: 24 * 3600 + spread, turn: 1 },
    });
    expect(sent).toHaveLength(1);
  });

  it('withdraws a reminder whose limit was met before its delivery, instead of sending it', async () => {
    await plan();
    at('2026-11-24T01:00:00.000Z');
    failNext = true;
    await expect(record()).rejects.toThrow('Throttled');
    // The officer accepts the tip before the workflow tries again: the limit is met.
    await give({ type: 'accept' });
    await record();
    expect(sent).toEqual([]);
    expect((await stateOf()).timeLimitSteps).toMatchObject([
      { key: `${tipId}#accept#reminder`, delivered: false, withdrawn: true },
    ]);
    // Nothing is left to deliver for it; the verification limit runs on.
    expect((await plan()).action).toBe('wait');
  });

  it('fires steps missed while down late, once, in order', async () => {
    await plan();
    at('2026-11-26T02:00:00.000Z');
    expect(await record()).toEqual({ recorded: 2, delivered: 2 });
    expect((await stateOf()).timeLimitSteps.map((entry) => [entry.key, entry.late])).toEqual([
      [`${tipId}#accept#reminder`, true],
      [`${tipId}#accept#overdue`, true],
    ]);
    expect(sent.map((message) => [message.key, message.subject.zh])).toEqual([
      [`${tipId}#accept#reminder#assigned_officer`, '举报线索受理期限到期提醒：abcdefgh（补发）'],
      [`${tipId}#accept#overdue#department_head`, '举报线索受理期限超期督办：abcdefgh（补发）'],
    ]);
    expect(await record()).toEqual({ recorded: 0, delivered: 0 });
    // Every step fired, the limit still running: wait for a decision (at most the timer limit).
    expect(await plan()).toMatchObject({ action: 'wait', timeoutSeconds: 2_000_000 });
  });

  it('delivers at least once: a failed send is sent again, the step recorded once', async () => {
    await plan();
    at('2026-11-24T01:00:00.000Z');
    failNext = true;
    await expect(record()).rejects.toThrow('Throttled');
    expect((await stateOf()).timeLimitSteps).toHaveLength(1);
    expect((await plan()).action).toBe('escalate'); // undelivered
    expect(await record()).toEqual({ recorded: 0, delivered: 1 });
    expect(sent.map((message) => message.key)).toEqual([
      `${tipId}#accept#reminder#assigned_officer`,
    ]);
  });

  it('claims nothing when the receipt claimed its generation (the intake began it)', async () => {
    store = new MemoryEventStore();
    await receive('2026-11-19T02:00:00.000Z', { lifecycleGeneration: 1 });
    expect((await stateOf()).generation).toBe(1);
    expect(await plan(1)).toEqual({ action: 'wait', timeoutSeconds: 119 * 3600 + spread, turn: 1 });
    expect((await store.read(tipStream(tipId))).map((event) => event.type)).toEqual([
      'tip_received',
    ]);
    // The state shows nothing of it; the next execution is generation 2, and claims it.
    expect(await stateOf()).not.toHaveProperty('lifecycleGeneration');
    expect(await nextTipGeneration(store, tipId)).toBe(2);
    expect((await plan(2)).action).toBe('wait');
    expect((await stateOf()).generation).toBe(2);
  });

  it('lets a stale generation change nothing', async () => {
    await plan(1);
    await plan(2); // a new execution takes over
    at('2026-11-24T01:00:00.000Z');
    const before = (await store.read(tipStream(tipId))).length;
    expect(await plan(1)).toEqual({ action: 'done', timeoutSeconds: 1, turn: 1 });
    expect(await record(1)).toEqual({ recorded: 0, delivered: 0 });
    expect((await store.read(tipStream(tipId))).length).toBe(before);
    expect(sent).toEqual([]);
    expect(await record(2)).toEqual({ recorded: 1, delivered: 1 });
  });

  it('is silenced by a final status', async () => {
    await plan();
    await give({ type: 'refuse', reason: 'no_target_or_facts' });
    at('2027-01-01T00:00:00.000Z');
    expect(await plan()).toEqual({ action: 'done', timeoutSeconds: 1, turn: 1 });
    expect(await record()).toEqual({ recorded: 0, delivered: 0 });
    expect(sent).toEqual([]);
  });

  it('renews after the same limits as the hazard lifecycle', async () => {
    expect((await plan(1, { turn: renewal.afterTurns })).action).toBe('renew');
    expect((await plan(1, { turn: 1, startedAt: '2025-12-01T00:00:00.000Z' })).action).toBe(
      'renew',
    );
  });
});

it('plans done for a tip with no record', async () => {
  now = new Date('2026-11-19T02:00:00.000Z');
  expect(await plan()).toEqual({ action: 'done', timeoutSeconds: 1, turn: 1 });
});

describe('the verification limit', () => {
  it('moves the overdue step with an approved extension, never firing the reminder again', async () => {
    await receive('2026-02-26T02:00:00.000Z');
    at('2026-03-02T02:00:00.000Z');
    await give({ type: 'accept' }); // verification by 24:00 1 May
    // The reminder is 56 days away: the wait is clamped below the 24.8-day timer overflow.
    expect(await plan()).toEqual({ action: 'wait', timeoutSeconds: 2_000_000, turn: 1 });
    at('2026-04-20T01:00:00.000Z');
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: 7 * 24 * 3600 + spread,
      turn: 1,
    });
    at('2026-04-27T01:00:00.000Z');
    expect(await record()).toEqual({ recorded: 1, delivered: 1 });
    at('2026-04-28T02:00:00.000Z');
    await give({ type: 'approve_extension', days: 30, reason: '需委托检测机构鉴定' }, head);
    // The old overdue time (Wed 6 May 09:00, after Labour Day) passes quietly.
    at('2026-05-06T01:00:00.000Z');
    expect(await plan()).toEqual({ action: 'wait', timeoutSeconds: 2_000_000, turn: 1 });
    expect(await record()).toEqual({ recorded: 0, delivered: 0 });
    // The moved overdue step: Mon 1 June 09:00 CST (31 May, the new last day, is a Sunday).
    at('2026-05-25T01:00:00.000Z');
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: 7 * 24 * 3600 + spread,
      turn: 1,
    });
    at('2026-06-01T01:00:00.000Z');
    expect(await record()).toEqual({ recorded: 1, delivered: 1 });
    expect((await stateOf()).timeLimitSteps.map((entry) => [entry.key, entry.late])).toEqual([
      [`${tipId}#verify#reminder`, false],
      [`${tipId}#verify#overdue`, false],
    ]);
    expect(sent.map((message) => message.to)).toEqual([
      'assigned_officer@cq-gecheng',
      'department_head@cq-gecheng',
    ]);
    await expect(
      give({ type: 'approve_extension', days: 10, reason: '再延' }, head),
    ).rejects.toThrow('Verification can be extended once only.');
  });
});

describe('the feedback limit', () => {
  it('runs from the result and ends with the feedback given within 10 days', async () => {
    await receive('2026-05-20T02:00:00.000Z');
    await give({ type: 'accept' });
    await give({ type: 'start_investigation' });
    at('2026-06-10T02:00:00.000Z');
    await give({ type: 'record_finding', finding: 'unsubstantiated', note: '现场未发现' });
    // Reminder 3 days before 24:00 20 June: Thu 18 June 09:00 CST.
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: (Date.parse('2026-06-18T01:00:00.000Z') - now.getTime()) / 1000 + spread,
      turn: 1,
    });
    at('2026-06-15T02:00:00.000Z');
    await give({ type: 'give_feedback', text: '经核查，未发现所反映问题。' });
    expect(await plan()).toEqual({ action: 'done', timeoutSeconds: 1, turn: 1 });
    at('2026-06-22T02:00:00.000Z');
    expect(await record()).toEqual({ recorded: 0, delivered: 0 });
    expect(sent).toEqual([]);
  });
});
