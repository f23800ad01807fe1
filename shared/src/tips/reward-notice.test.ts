import { beforeEach, describe, expect, it } from 'vitest';
import { deadlineAfter, seedCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { defaultEscalationPolicy } from '../hazards/escalation.ts';
import type { Notification } from '../ports/outbox.ts';
import { nationalRewardPolicy } from '../rewards/reward-policy.ts';
import { planTipTurn, recordDueTipSteps } from './lifecycle.ts';
import {
  noticeGivenLate,
  noticeReminderNotificationKey,
  noticeStepKey,
  planRewardNotice,
} from './reward-notice.ts';
import { defaultTipTimeLimits as limits } from './time-limits.ts';
import { type TipState, tipProjection, tipStream } from './tip.ts';
import { giveTipCommand, type TipCommand } from './triage.ts';

// Issue 16: the tipster is told of the reward within the policy's notice days of the
// verification result (the approval is the notice). The tip's lifecycle keeps that
// deadline: a reminder to the reward officers some days before, then the overdue mark,
// each recorded once; an approval ends the wait, and one after the deadline still stands.
const tipId = 'noticedeadlinetipabcdefghij';
const officer: Actor = { kind: 'person', id: 'officer-1' };
const rewardOfficer: Actor = { kind: 'person', id: 'reward-1' };
const approver: Actor = { kind: 'person', id: 'reward-2' };

let store: MemoryEventStore;
let now: Date;
let sent: Notification[];
let keys = 0;
let notifierDown = false;
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
      if (notifierDown) throw new Error('notifier down');
      sent.push(notification);
    },
  },
  spread: () => 0,
});

async function give(command: TipCommand, actor = officer) {
  keys += 1;
  const outcome = await giveTipCommand(
    { ...deps(), workflow: { wake: async () => {} } },
    { tipId, command, actor, idempotencyKey: `k${keys}` },
  );
  if (outcome.kind !== 'done') throw new Error(outcome.kind);
}

async function stateOf(): Promise<TipState> {
  const snapshot = await store.load(tipStream(tipId), tipProjection);
  if (!snapshot) throw new Error('no tip');
  return snapshot.state;
}

let generation = 1;
const plan = async () => {
  const { version: _version, ...rest } = await planTipTurn(deps(), { tipId, generation });
  return rest;
};
const record = async () => {
  const { next: _next, ...counts } = await recordDueTipSteps(deps(), { tipId, generation });
  return counts;
};
const noticeEvents = async () =>
  (await store.read(tipStream(tipId)))
    .filter((event) => event.type.startsWith('reward_notice_') || event.type === 'reward_approved')
    .map((event) => [event.type, event.idempotencyKey, event.at]);

/**
 * A tip received Mon 1 June 2026, substantiated Wed 3 June 10:00 CST, answered (closed),
 * its case result recorded the same day: a reward is due, not computed yet.
 */
async function rewardDue(outcome: 'fine' | 'nothing' = 'fine') {
  at('2026-06-01T02:00:00.000Z');
  await store.append(
    tipStream(tipId),
    null,
    {
      type: 'tip_received',
      at: now.toISOString(),
      actor: { kind: 'tipster', id: 'tipster' },
      idempotencyKey: 'tip_received',
      data: {
        tipId,
        channel: 'web',
        jurisdiction: 'cq-gecheng',
        industry: 'fire',
        address: '东门路 18 号',
        description: '仓库安全出口被货物堵死',
        seenOn: '2026-05-31',
        isEmployee: true,
        wantsReward: true,
        photoIds: [],
        contentDigest: 'd',
        acceptDeadline: deadlineAfter(seedCalendar, now, limits.accept).toISOString(),
      },
    },
    tipProjection,
  );
  generation = 1;
  await plan(); // claims generation 1
  await give({ type: 'accept' });
  await give({ type: 'start_investigation' });
  at('2026-06-03T02:00:00.000Z');
  await give({ type: 'record_finding', finding: 'substantiated', note: '属实' });
  await give({ type: 'give_feedback', text: '经核查属实，已依法处理。' });
  await give({
    type: 'record_outcome',
    outcome:
      outcome === 'fine'
        ? { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 }
        : { kind: 'nothing_found' },
    documentNumber: '渝葛应急罚〔2026〕12号',
  });
}

async function approve() {
  await give({ type: 'compute_reward' }, rewardOfficer);
  await give({ type: 'approve_reward' }, approver);
}

// 20 calendar days from Wed 3 June: 24:00 CST Tue 23 June.
const noticeDueBy = '2026-06-23T16:00:00.000Z';
// Five days before its last day: 24:00 on Thu 18 June; Dragon Boat holidays 19–21 June,
// so the first office moment after it is Mon 22 June 09:00 CST.
const reminderAt = '2026-06-22T01:00:00.000Z';

beforeEach(() => {
  store = new MemoryEventStore();
  sent = [];
  notifierDown = false;
});

describe('the notice deadline in the tip lifecycle', () => {
  beforeEach(() => rewardDue());

  it('writes the deadline with the case result and keeps a closed tip waiting for it', async () => {
    const state = await stateOf();
    expect(state.status).toBe('closed');
    expect(state.outcome?.noticeDueBy).toBe(noticeDueBy);
    expect(state.rewardNotice).toBeUndefined();
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: (Date.parse(reminderAt) - now.getTime()) / 1000,
      turn: 1,
    });
    expect(await record()).toEqual({ recorded: 0, delivered: 0 });
    expect(await noticeEvents()).toEqual([]);
  });

  it('records the reminder once and sends it once to the reward officers, naming the tip', async () => {
    at('2026-06-22T00:59:00.000Z');
    expect((await plan()).action).toBe('wait');
    at(reminderAt);
    expect((await plan()).action).toBe('escalate');
    await record();
    await record(); // a retried task records and sends nothing more
    generation = 2; // a restart: the next execution takes the tip over
    await plan();
    await record();
    expect(await noticeEvents()).toEqual([
      ['reward_notice_reminder_recorded', noticeStepKey(tipId, 'reminder'), reminderAt],
      ['reward_notice_reminder_sent', `${tipId}#reward#notice-reminder#sent`, reminderAt],
    ]);
    expect(sent).toEqual([
      {
        key: noticeReminderNotificationKey(tipId),
        channel: 'sms',
        to: 'reward_officer@cq-gecheng',
        subject: {
          zh: '举报奖励告知期限提醒：noticede',
          en: 'Reward notice due: tip noticede',
        },
        body: {
          zh: 'cq-gecheng 举报线索 noticede 的奖励须于 2026-06-23 前核算、批准并告知举报人，目前尚未批准。请登录奖励工作台处理。',
          en: 'The reward of tip noticede in cq-gecheng must be computed, approved and the tipster told by 2026-06-23; it is not approved yet. Open the reward desk.',
        },
      },
    ]);
    // Nothing of what the tipster wrote.
    expect(JSON.stringify(sent)).not.toContain('东门路');
    expect((await stateOf()).rewardNotice).toEqual({
      reward_notice_reminder_recorded: reminderAt,
      reward_notice_reminder_sent: reminderAt,
    });
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: (Date.parse(noticeDueBy) - now.getTime()) / 1000,
      turn: 1,
    });
  });

  it('sends the reminder again on the next turn when the notifier failed', async () => {
    at(reminderAt);
    notifierDown = true;
    await expect(record()).rejects.toThrow('notifier down');
    expect((await stateOf()).rewardNotice?.reward_notice_reminder_sent).toBeUndefined();
    expect((await plan()).action).toBe('escalate');
    notifierDown = false;
    await record();
    expect(sent).toHaveLength(1);
  });

  it('records the overdue mark once at the deadline; an approval after it still stands', async () => {
    at(reminderAt);
    await record();
    at(noticeDueBy);
    expect((await plan()).action).toBe('escalate');
    await record();
    await record();
    generation = 2;
    await plan();
    await record();
    expect((await stateOf()).rewardNotice?.reward_notice_overdue).toBe(noticeDueBy);
    // Nothing more to keep: the tip's limits are done, the reward is not approved.
    expect((await plan()).action).toBe('done');

    at('2026-06-25T02:00:00.000Z');
    await approve();
    const state = await stateOf();
    expect(state.reward?.approvedAt).toBe(now.toISOString());
    expect(state.reward?.noticeDueBy).toBe(noticeDueBy);
    expect(noticeGivenLate(state.reward ?? {})).toBe(true);
    expect((await noticeEvents()).map(([type, key]) => [type, key])).toEqual([
      ['reward_notice_reminder_recorded', noticeStepKey(tipId, 'reminder')],
      ['reward_notice_reminder_sent', `${tipId}#reward#notice-reminder#sent`],
      ['reward_notice_overdue', noticeStepKey(tipId, 'overdue')],
      ['reward_approved', `k${keys}`],
    ]);
    expect(sent).toHaveLength(1);
  });

  it('records only the overdue mark, late, when the system was down past the deadline', async () => {
    at('2026-06-30T02:00:00.000Z');
    await record();
    expect((await noticeEvents()).map(([type]) => type)).toEqual(['reward_notice_overdue']);
    expect(sent).toEqual([]);
  });

  it('plans nothing once the reward is approved in time: no reminder, no overdue mark', async () => {
    at('2026-06-10T02:00:00.000Z');
    await approve();
    expect(noticeGivenLate((await stateOf()).reward ?? {})).toBe(false);
    // The claim deadline is what the lifecycle waits for now, 60 days from the approval.
    at(reminderAt);
    expect((await plan()).action).toBe('wait');
    at('2026-06-30T02:00:00.000Z');
    await record();
    expect((await noticeEvents()).map(([type]) => type)).toEqual(['reward_approved']);
    expect(sent).toEqual([]);
  });

  it('does not send a reminder recorded before an approval that came before its delivery', async () => {
    at(reminderAt);
    notifierDown = true;
    await expect(record()).rejects.toThrow('notifier down');
    notifierDown = false;
    await approve();
    await record();
    expect(sent).toEqual([]);
  });
});

describe('the notice deadline when nothing is due', () => {
  it('keeps no deadline when the case result earns no reward', async () => {
    await rewardDue('nothing');
    expect((await plan()).action).toBe('done');
    at('2026-06-30T02:00:00.000Z');
    await record();
    expect(await noticeEvents()).toEqual([]);
  });
});

describe('planRewardNotice', () => {
  const base = {
    tipId,
    jurisdiction: 'cq-gecheng',
    finding: 'substantiated',
    verifiedAt: '2026-06-03T02:00:00.000Z',
    outcome: { kind: 'fine_imposed', recordedAt: '2026-06-03T02:30:00.000Z' },
  } as unknown as TipState;
  const planned = (state: TipState, instant: string, daysBefore?: number) =>
    planRewardNotice({
      state,
      now: new Date(instant),
      calendar: seedCalendar,
      officeHours: defaultEscalationPolicy.officeHours,
      ...(daysBefore === undefined ? {} : { policy: { daysBefore, source: 'test' } }),
    });
  const working = {
    ...base,
    rewardPolicy: { ...nationalRewardPolicy, deadlineUnit: 'working' },
  } as TipState;

  it('counts calendar days by default, the reminder moved past the holidays', () => {
    expect(planned(base, '2026-06-04T00:00:00.000Z')).toEqual({
      waiting: true,
      due: [],
      nextAt: new Date(reminderAt),
    });
    expect(planned(base, reminderAt).due).toEqual([
      {
        step: 'reminder',
        key: noticeStepKey(tipId, 'reminder'),
        dueAt: new Date(reminderAt),
        late: false,
      },
    ]);
  });

  it('counts working days, holidays skipped, when the policy says so', () => {
    // 20 working days from Wed 3 June, 19 June a holiday: 24:00 CST Thu 2 July.
    const plan = planned(working, '2026-06-29T02:00:00.000Z');
    expect(plan.nextAt?.toISOString()).toBe('2026-07-02T16:00:00.000Z');
    // Five working days before 2 July is Thu 25 June; after its 24:00: Fri 26 June 09:00.
    expect(plan.due).toEqual([
      {
        step: 'reminder',
        key: noticeStepKey(tipId, 'reminder'),
        dueAt: new Date('2026-06-26T01:00:00.000Z'),
        late: true,
      },
    ]);
    // Twelve working days before 2 July cross the holidays (19–21 June): Mon 15 June, so
    // Tue 16 June 09:00 (Monday to Friday alone would give Wed 17 June).
    expect(planned(working, '2026-06-04T00:00:00.000Z', 12).nextAt?.toISOString()).toBe(
      '2026-06-16T01:00:00.000Z',
    );
  });

  it('reminds at once, in office hours, when the result came after the reminder time', () => {
    const lateResult = {
      ...base,
      outcome: { kind: 'fine_imposed', recordedAt: '2026-06-22T12:00:00.000Z' }, // 20:00 CST
    } as unknown as TipState;
    // The next office moment after 20:00 Mon 22 June: Tue 23 June 09:00 CST.
    expect(planned(lateResult, '2026-06-22T12:00:00.000Z').nextAt?.toISOString()).toBe(
      '2026-06-23T01:00:00.000Z',
    );
  });

  it('takes the reminder days from the policy; 0 is none', () => {
    expect(planned(base, '2026-06-04T00:00:00.000Z', 0).nextAt?.toISOString()).toBe(noticeDueBy);
    // One whose time falls on or after the deadline is never planned.
    expect(planned(base, '2026-06-23T15:00:00.000Z').due.map((due) => due.step)).toEqual([
      'reminder',
    ]);
  });

  it('waits for nothing once approved, without a rewarding result, or merged', () => {
    const none = { waiting: false, due: [], nextAt: null };
    const approved = { ...base, reward: { approvedAt: '2026-06-10T02:00:00.000Z' } };
    expect(planned(approved as unknown as TipState, '2026-07-01T00:00:00.000Z')).toEqual(none);
    const nothing = { ...base, outcome: { kind: 'nothing_found' } } as unknown as TipState;
    expect(planned(nothing, '2026-07-01T00:00:00.000Z')).toEqual(none);
    const merged = { ...base, mergedInto: 'another' } as TipState;
    expect(planned(merged, '2026-07-01T00:00:00.000Z')).toEqual(none);
    const noResult = { ...base, outcome: undefined } as unknown as TipState;
    expect(planned(noResult, '2026-07-01T00:00:00.000Z')).toEqual(none);
    const overdue = { ...base, rewardNotice: { reward_notice_overdue: noticeDueBy } } as TipState;
    expect(planned(overdue, '2026-07-01T00:00:00.000Z')).toEqual(none);
  });
});
