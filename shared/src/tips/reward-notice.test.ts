import { beforeEach, describe, expect, it } from 'vitest';
import { approver, rewardOfficer, TipLifecycle } from '../../../tests/support/tip-lifecycle.ts';
import { seedCalendar } from '../calendar/calendar.ts';
import { defaultEscalationPolicy } from '../hazards/escalation.ts';
import { nationalRewardPolicy } from '../rewards/reward-policy.ts';
import {
  noticeGivenLate,
  noticeReminderNotificationKey,
  noticeStepKey,
  planRewardNotice,
} from './reward-notice.ts';
import { type TipState, tipStream } from './tip.ts';

// Issue 16: the tipster is told of the reward within the policy's notice days of the
// verification result (the approval is the notice). The tip's lifecycle keeps that
// deadline: a reminder to the reward officers some days before, then the overdue mark,
// each recorded once; an approval ends the wait, and one after the deadline still stands.
const tipId = 'noticedeadlinetipabcdefghij';
const tip = new TipLifecycle(tipId);
const { at, give, stateOf, plan, record } = tip;

const noticeEvents = async () =>
  (await tip.store.read(tipStream(tipId)))
    .filter((event) => event.type.startsWith('reward_notice_') || event.type === 'reward_approved')
    .map((event) => [event.type, event.idempotencyKey, event.at]);

/**
 * A tip received Mon 1 June 2026, substantiated Wed 3 June 10:00 CST, answered (closed),
 * its case result recorded the same day: a reward is due, not computed yet.
 */
async function rewardDue(outcome: 'fine' | 'nothing' = 'fine') {
  at('2026-06-01T02:00:00.000Z');
  await tip.receive();
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

beforeEach(tip.reset);

describe('the notice deadline in the tip lifecycle', () => {
  beforeEach(() => rewardDue());

  it('writes the deadline with the case result and keeps a closed tip waiting for it', async () => {
    const state = await stateOf();
    expect(state.status).toBe('closed');
    expect(state.outcome?.noticeDueBy).toBe(noticeDueBy);
    expect(state.rewardNotice).toBeUndefined();
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: (Date.parse(reminderAt) - tip.now.getTime()) / 1000,
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
    tip.generation = 2; // a restart: the next execution takes the tip over
    await plan();
    await record();
    expect(await noticeEvents()).toEqual([
      ['reward_notice_reminder_recorded', noticeStepKey(tipId, 'reminder'), reminderAt],
      ['reward_notice_reminder_sent', `${tipId}#reward#notice-reminder#sent`, reminderAt],
    ]);
    expect(tip.sent).toEqual([
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
    expect(JSON.stringify(tip.sent)).not.toContain('东门路');
    expect((await stateOf()).rewardNotice).toEqual({
      reward_notice_reminder_recorded: reminderAt,
      reward_notice_reminder_sent: reminderAt,
    });
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: (Date.parse(noticeDueBy) - tip.now.getTime()) / 1000,
      turn: 1,
    });
  });

  it('sends the reminder again on the next turn when the notifier failed', async () => {
    at(reminderAt);
    tip.notifierDown = true;
    await expect(record()).rejects.toThrow('notifier down');
    expect((await stateOf()).rewardNotice?.reward_notice_reminder_sent).toBeUndefined();
    expect((await plan()).action).toBe('escalate');
    tip.notifierDown = false;
    await record();
    expect(tip.sent).toHaveLength(1);
  });

  it('records the overdue mark once at the deadline; an approval after it still stands', async () => {
    at(reminderAt);
    await record();
    at(noticeDueBy);
    expect((await plan()).action).toBe('escalate');
    await record();
    await record();
    tip.generation = 2;
    await plan();
    await record();
    expect((await stateOf()).rewardNotice?.reward_notice_overdue).toBe(noticeDueBy);
    // Nothing more to keep: the tip's limits are done, the reward is not approved.
    expect((await plan()).action).toBe('done');

    at('2026-06-25T02:00:00.000Z');
    await approve();
    const state = await stateOf();
    expect(state.reward?.approvedAt).toBe(tip.now.toISOString());
    expect(state.reward?.noticeDueBy).toBe(noticeDueBy);
    expect(noticeGivenLate(state.reward ?? {})).toBe(true);
    expect((await noticeEvents()).map(([type, key]) => [type, key])).toEqual([
      ['reward_notice_reminder_recorded', noticeStepKey(tipId, 'reminder')],
      ['reward_notice_reminder_sent', `${tipId}#reward#notice-reminder#sent`],
      ['reward_notice_overdue', noticeStepKey(tipId, 'overdue')],
      ['reward_approved', `k${tip.keys}`],
    ]);
    expect(tip.sent).toHaveLength(1);
  });

  it('records only the overdue mark, late, when the system was down past the deadline', async () => {
    at('2026-06-30T02:00:00.000Z');
    await record();
    expect((await noticeEvents()).map(([type]) => type)).toEqual(['reward_notice_overdue']);
    expect(tip.sent).toEqual([]);
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
    expect(tip.sent).toEqual([]);
  });

  it('does not send a reminder recorded before an approval that came before its delivery', async () => {
    at(reminderAt);
    tip.notifierDown = true;
    await expect(record()).rejects.toThrow('notifier down');
    tip.notifierDown = false;
    await approve();
    await record();
    expect(tip.sent).toEqual([]);
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
