import { beforeEach, describe, expect, it } from 'vitest';
import { approver, rewardOfficer, TipLifecycle } from '../../../tests/support/tip-lifecycle.ts';
import { seedCalendar } from '../calendar/calendar.ts';
import { defaultEscalationPolicy } from '../hazards/escalation.ts';
import { maxWaitSeconds } from '../workflow/turns.ts';
import { recordLapse } from './claim-command.ts';
import {
  claimReminderNotificationKey,
  claimReminderText,
  claimStepKey,
  planClaimDeadline,
  tipsterPhoneAddress,
} from './claim-deadline.ts';
import { type TipState, tipProjection, tipStream } from './tip.ts';

// Issue 16: the tip's lifecycle keeps the reward's claim deadline: it waits for a reminder
// ten days before, then records the lapse once, and stops waiting once the reward is claimed.
const tipId = 'claimdeadlinetipabcdefghij';
const tip = new TipLifecycle(tipId);
const { at, deps, give, stateOf, plan, record } = tip;

const claimEvents = async () =>
  (await tip.store.read(tipStream(tipId)))
    .filter(
      (event) => event.type === 'reward_claim_reminder_recorded' || event.type === 'reward_lapsed',
    )
    .map((event) => [event.type, event.idempotencyKey, event.at]);

/** A tip received Mon 1 June 2026, substantiated, answered (closed), reward approved 3 June. */
async function approvedReward(contactSealed?: string) {
  at('2026-06-01T02:00:00.000Z');
  await tip.receive(contactSealed ? { contactSealed } : {});
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

beforeEach(tip.reset);

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
      timeoutSeconds: (reminderAt - tip.now.getTime()) / 1000,
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
      ['reward_claim_reminder_recorded', `${tipId}#reward#claim-reminder`, tip.now.toISOString()],
    ]);
    expect((await stateOf()).reward?.claimReminder).toEqual({
      at: tip.now.toISOString(),
      dueAt: '2026-07-24T01:00:00.000Z',
      claimBy: '2026-08-02T16:00:00.000Z',
      late: false,
      messaged: false,
    });
    expect(tip.sent).toEqual([]);
    const deadline = Date.parse('2026-08-02T16:00:00.000Z');
    expect(await plan()).toEqual({
      action: 'wait',
      timeoutSeconds: (deadline - tip.now.getTime()) / 1000,
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
    await tip.store.append(
      tipStream(tipId),
      await tip.store.load(tipStream(tipId), tipProjection),
      {
        type: 'reward_claimed',
        at: tip.now.toISOString(),
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
    expect(tip.sent).toEqual([
      {
        key: await claimReminderNotificationKey(tipId),
        channel: 'sms',
        to: tipsterPhoneAddress(tipId),
        subject: { zh: '奖励领取提醒', en: 'Reward claim reminder' },
        body: claimReminderText('2026-08-02'),
      },
    ]);
    expect(tip.sent[0]?.key).not.toContain(tipId);
    expect((await stateOf()).reward?.claimReminder).toMatchObject({
      messaged: true,
      sentAt: '2026-07-24T01:00:00.000Z',
    });
    expect(await plan()).toMatchObject({ action: 'wait' });
    await record();
    expect(tip.sent).toHaveLength(1);
  });

  it('is sent again on the next turn when the notifier failed', async () => {
    at('2026-07-24T01:00:00.000Z');
    tip.notifierDown = true;
    await expect(record()).rejects.toThrow('notifier down');
    expect((await stateOf()).reward?.claimReminder).toMatchObject({ messaged: true });
    expect((await stateOf()).reward?.claimReminder?.sentAt).toBeUndefined();
    expect(await plan()).toMatchObject({ action: 'escalate' });
    tip.notifierDown = false;
    await record();
    expect(tip.sent).toHaveLength(1);
  });
});
