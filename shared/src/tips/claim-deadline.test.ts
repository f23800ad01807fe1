import { beforeEach, describe, expect, it } from 'vitest';
import { deadlineAfter, seedCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { defaultEscalationPolicy } from '../hazards/escalation.ts';
import type { Notification } from '../ports/outbox.ts';
import { maxWaitSeconds } from '../workflow/turns.ts';
import { recordLapse } from './claim-command.ts';
import {
  claimReminderNotificationKey,
  claimReminderText,
  claimStepKey,
  planClaimDeadline,
  tipsterPhoneAddress,
} from './claim-deadline.ts';
import { planTipTurn, recordDueTipSteps } from './lifecycle.ts';
import { defaultTipTimeLimits as limits } from './time-limits.ts';
import { type TipState, tipProjection, tipStream } from './tip.ts';
import { giveTipCommand, type TipCommand } from './triage.ts';

// Issue 16: the tip's lifecycle keeps the reward's claim deadline: it waits for a reminder
// ten days before, then records the lapse once, and stops waiting once the reward is claimed.
const tipId = 'claimdeadlinetipabcdefghij';
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

const plan = async () => {
  const { version: _version, ...rest } = await planTipTurn(deps(), { tipId, generation: 1 });
  return rest;
};
const record = async () => {
  const { next: _next, ...counts } = await recordDueTipSteps(deps(), { tipId, generation: 1 });
  return counts;
};
const claimEvents = async () =>
  (await store.read(tipStream(tipId)))
    .filter(
      (event) => event.type === 'reward_claim_reminder_recorded' || event.type === 'reward_lapsed',
    )
    .map((event) => [event.type, event.idempotencyKey, event.at]);

/** A tip received Mon 1 June 2026, substantiated, answered (closed), reward approved 3 June. */
async function approvedReward(contactSealed?: string) {
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
        ...(contactSealed ? { contactSealed } : {}),
        contentDigest: 'd',
        acceptDeadline: deadlineAfter(seedCalendar, now, limits.accept).toISOString(),
      },
    },
    tipProjection,
  );
  await plan(); // claims generation 1
  await give({ type: 'accept' });
  await give({ type: 'start_investigation' });
  await give({ type: 'record_finding', finding: 'substantiated', note: '属实' });
  await give({ type: 'give_feedback', text: '经核查属实，已依法处理。' });
  await give({
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
    documentNumber: '渝葛应急罚〔2026〕12号',
  });
  await give({ type: 'compute_reward' }, rewardOfficer);
  at('2026-06-03T02:00:00.000Z');
  await give({ type: 'approve_reward' }, approver);
}

beforeEach(() => {
  store = new MemoryEventStore();
  sent = [];
  notifierDown = false;
});

describe('the claim deadline in the tip lifecycle', () => {
  beforeEach(() => approvedReward());

  it('keeps a closed tip with an unclaimed reward waiting: the reminder 10 days before', async () => {
    const state = await stateOf();
    expect(state.status).toBe('closed');
    // 60 days from 3 June: the claim ends at 24:00 CST on Sun 2 August.
    expect(state.reward?.claimBy).toBe('2026-08-02T16:00:00.000Z');
    // Ten days before is 24:00 on 23 July; moved to office hours: Fri 24 July 09:00 CST.
    const reminderAt = Date.parse('2026-07-24T01:00:00.000Z');
    // 51 days away: the longest wait, then planned again (maxWaitSeconds).
    expect(await plan()).toEqual({ action: 'wait', timeoutSeconds: maxWaitSeconds, turn: 1 });
    at('2026-07-20T02:00:00.000Z');
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: (reminderAt - now.getTime()) / 1000,
      turn: 1,
    });
    expect(await record()).toEqual({ recorded: 0, delivered: 0 });
    expect(await claimEvents()).toEqual([]);
  });

  it('records the reminder once, sends nothing, then waits for the deadline', async () => {
    at('2026-07-24T01:00:00.000Z');
    expect((await plan()).action).toBe('escalate');
    await record();
    await record(); // a retried task records nothing more
    expect(await claimEvents()).toEqual([
      ['reward_claim_reminder_recorded', `${tipId}#reward#claim-reminder`, now.toISOString()],
    ]);
    expect((await stateOf()).reward?.claimReminder).toEqual({
      at: now.toISOString(),
      dueAt: '2026-07-24T01:00:00.000Z',
      claimBy: '2026-08-02T16:00:00.000Z',
      late: false,
      messaged: false,
    });
    expect(sent).toEqual([]);
    const deadline = Date.parse('2026-08-02T16:00:00.000Z');
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: (deadline - now.getTime()) / 1000,
      turn: 1,
    });
  });

  it('records the lapse once at the deadline, without any look-up, and then ends', async () => {
    at('2026-07-24T01:00:00.000Z');
    await record();
    at('2026-08-02T16:00:00.000Z');
    expect((await plan()).action).toBe('escalate');
    await record();
    await record();
    // A look-up after it finds the lapse recorded: the same key, nothing more.
    await recordLapse(deps(), tipId);
    expect((await claimEvents()).map(([type, key]) => [type, key])).toEqual([
      ['reward_claim_reminder_recorded', `${tipId}#reward#claim-reminder`],
      ['reward_lapsed', claimStepKey(tipId, 'lapse')],
    ]);
    expect((await stateOf()).reward?.lapsedAt).toBe('2026-08-02T16:00:00.000Z');
    expect((await plan()).action).toBe('done');
  });

  it('records only the lapse, late, when the system was down past the deadline', async () => {
    at('2026-08-10T02:00:00.000Z');
    await record();
    expect((await claimEvents()).map(([type]) => type)).toEqual(['reward_lapsed']);
  });

  it('plans nothing after a claim: the lifecycle ends', async () => {
    at('2026-06-20T02:00:00.000Z');
    await store.append(
      tipStream(tipId),
      await store.load(tipStream(tipId), tipProjection),
      {
        type: 'reward_claimed',
        at: now.toISOString(),
        actor: { kind: 'tipster', id: 'tipster' },
        idempotencyKey: 'claim',
        data: { method: 'in_person', claimCodeHash: 'h' },
      },
      tipProjection,
    );
    expect((await plan()).action).toBe('done');
    at('2026-08-10T02:00:00.000Z');
    await record();
    expect(await claimEvents()).toEqual([]);
  });
});

describe('planClaimDeadline', () => {
  const base = {
    tipId,
    reward: {
      amountFen: 1_200_000,
      approvedAt: '2026-06-03T02:00:00.000Z',
      claimBy: '2026-08-02T16:00:00.000Z',
    },
  } as unknown as TipState;
  const planned = (state: TipState, instant: string, daysBefore?: number) =>
    planClaimDeadline({
      state,
      now: new Date(instant),
      calendar: seedCalendar,
      officeHours: defaultEscalationPolicy.officeHours,
      ...(daysBefore === undefined ? {} : { policy: { daysBefore, source: 'test' } }),
    });

  it('takes the reminder days from the policy, and none when it would precede the approval', () => {
    expect(planned(base, '2026-06-04T00:00:00.000Z', 3).nextAt?.toISOString()).toBe(
      '2026-07-31T01:00:00.000Z', // 24:00 on 30 July → Fri 31 July 09:00 CST
    );
    expect(planned(base, '2026-06-04T00:00:00.000Z', 0).nextAt?.toISOString()).toBe(
      '2026-08-02T16:00:00.000Z',
    );
    expect(planned(base, '2026-06-04T00:00:00.000Z', 90).nextAt?.toISOString()).toBe(
      '2026-08-02T16:00:00.000Z',
    );
  });

  it('waits for nothing without an approved, open reward', () => {
    const unapproved = { ...base, reward: { ...base.reward, approvedAt: undefined } };
    expect(planned(unapproved as unknown as TipState, '2026-09-01T00:00:00.000Z')).toEqual({
      waiting: false,
      due: [],
      nextAt: null,
    });
  });

  it('words the reminder so that it names neither the tip nor the matter', () => {
    expect(claimReminderText('2026-08-02')).toEqual({
      zh: '您有一笔待领取的奖励，请凭回执在 2026-08-02 前查看。',
      en: 'You have a reward to collect: look it up with your receipt by 2026-08-02.',
    });
  });
});

describe('the claim reminder to the tipster who left a phone', () => {
  beforeEach(() => approvedReward('sealed-phone'));

  it('is sent once, addressed to the tip, naming nothing of it, then recorded sent', async () => {
    at('2026-07-24T01:00:00.000Z');
    expect(await plan()).toMatchObject({ action: 'escalate' });
    await record();
    expect(sent).toEqual([
      {
        key: await claimReminderNotificationKey(tipId),
        channel: 'sms',
        to: tipsterPhoneAddress(tipId),
        subject: { zh: '奖励领取提醒', en: 'Reward claim reminder' },
        body: claimReminderText('2026-08-02'),
      },
    ]);
    expect(sent[0]?.key).not.toContain(tipId);
    expect((await stateOf()).reward?.claimReminder).toMatchObject({
      messaged: true,
      sentAt: '2026-07-24T01:00:00.000Z',
    });
    expect(await plan()).toMatchObject({ action: 'wait' });
    await record();
    expect(sent).toHaveLength(1);
  });

  it('is sent again on the next turn when the notifier failed', async () => {
    at('2026-07-24T01:00:00.000Z');
    notifierDown = true;
    await expect(record()).rejects.toThrow('notifier down');
    expect((await stateOf()).reward?.claimReminder).toMatchObject({ messaged: true });
    expect((await stateOf()).reward?.claimReminder?.sentAt).toBeUndefined();
    expect(await plan()).toMatchObject({ action: 'escalate' });
    notifierDown = false;
    await record();
    expect(sent).toHaveLength(1);
  });
});
