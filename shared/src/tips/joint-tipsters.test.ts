import { beforeEach, describe, expect, it } from 'vitest';
import { tipReceived } from '../../../tests/support/tip-lifecycle.ts';
import { seedCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { defaultEscalationPolicy } from '../hazards/escalation.ts';
import { nationalRewardPolicy } from '../rewards/reward-policy.ts';
import { claimReward } from './claim-command.ts';
import { grantJointShares, inReceiptOrder, jointTipRefusal } from './joint-tipsters.ts';
import { planTipTurn, recordDueTipSteps } from './lifecycle.ts';
import { rewardForTipster } from './reward-claim.ts';
import { rewardEntryOf } from './reward-statistics.ts';
import { defaultTipTimeLimits as limits } from './time-limits.ts';
import { TipRuleViolation, type TipState, tipProjection, tipStream } from './tip.ts';
import { giveTipCommand, type TipCommand } from './triage.ts';

// Joint tipsters share one reward (RULES.md, "Tips and rewards"): named on the first tip,
// split at the approval, each share written on its own tip and claimed with its own receipt.
const officer: Actor = { kind: 'person', id: 'officer-1' };
const computer: Actor = { kind: 'person', id: 'reward-1' };
const approver: Actor = { kind: 'person', id: 'reward-2' };
const first = 'firsttipabcdefghijklmnopqr';
const second = 'secondtipabcdefghijklmnopq';
const third = 'thirdtipabcdefghijklmnopqr';

let store: MemoryEventStore;
let now: Date;
let keys = 0;
const clock = { now: () => now };
const deps = () => ({
  events: store,
  clock,
  calendar: seedCalendar,
  limits,
  workflow: { wake: async () => {} },
});

async function receive(tipId: string, at: string) {
  await store.append(tipStream(tipId), null, tipReceived(tipId, at), tipProjection);
}

async function give(tipId: string, command: TipCommand, actor = officer) {
  keys += 1;
  const outcome = await giveTipCommand(deps(), {
    tipId,
    command,
    actor,
    idempotencyKey: `k${keys}`,
  });
  if (outcome.kind !== 'done') throw new Error(outcome.kind);
  return outcome.snapshot.state;
}

async function stateOf(tipId: string): Promise<TipState> {
  const snapshot = await store.load(tipStream(tipId), tipProjection);
  if (!snapshot) throw new Error('no tip');
  return snapshot.state;
}

beforeEach(async () => {
  store = new MemoryEventStore();
  now = new Date('2026-03-02T02:00:00.000Z');
  await receive(first, '2026-03-02T02:00:00.000Z');
  await receive(second, '2026-03-02T03:00:00.000Z');
  await receive(third, '2026-03-02T04:00:00.000Z');
  await give(second, { type: 'merge', intoTipId: first });
  await give(third, { type: 'merge', intoTipId: first });
  await give(first, { type: 'accept' });
  await give(first, { type: 'start_investigation' });
  await give(first, { type: 'record_finding', finding: 'substantiated', note: '属实' });
  await give(first, {
    type: 'record_outcome',
    // 15% of 66,667 yuan = 10,000.05 yuan: 1,000,005 fen.
    outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 66_667 },
    documentNumber: '渝葛应急罚〔2026〕7号',
  });
});

describe('joint tipsters', () => {
  it("refuses an adjustment above the policy's highest maximum, in zh and en", async () => {
    const refused = await giveTipCommand(deps(), {
      tipId: first,
      command: { type: 'compute_reward', adjustedAmountFen: 999_999_999, reason: '调整' },
      actor: computer,
      idempotencyKey: 'too-much',
    }).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      text: {
        zh: '调整后的奖励不能高于奖励标准的最高额 300,000 元。',
        en: "An adjusted reward cannot be above the policy's highest maximum, 300,000 yuan.",
      },
    });
    // Up to the maximum is the officer's to decide, with a reason.
    const adjusted = await give(
      first,
      { type: 'compute_reward', adjustedAmountFen: 30_000_000, reason: '经集体研究调整' },
      computer,
    );
    expect(adjusted.reward?.amountFen).toBe(30_000_000);
  });

  it('split the approved reward, the first tip first, and each share is its own to claim', async () => {
    expect(jointTipRefusal(first, await stateOf(second))).toBeNull();
    const joint = inReceiptOrder([await stateOf(third), await stateOf(second)]);
    expect(joint).toEqual([second, third]);
    await give(first, { type: 'record_joint_tipsters', tipIds: joint });
    // Adjusted to 1,000,001 fen: 2 fen over three equal shares, to the first two.
    await give(
      first,
      { type: 'compute_reward', adjustedAmountFen: 1_000_001, reason: '经集体研究调整' },
      computer,
    );
    const approved = await give(first, { type: 'approve_reward' }, approver);
    expect(approved.reward?.shares).toEqual([
      { tipId: first, amountFen: 333_334 },
      { tipId: second, amountFen: 333_334 },
      { tipId: third, amountFen: 333_333 },
    ]);

    await grantJointShares(deps(), approved);
    await grantJointShares(deps(), approved); // again: nothing written twice
    const shares = await store.read(tipStream(third));
    expect(shares.filter((event) => event.type === 'reward_share_granted')).toHaveLength(1);
    const thirdState = await stateOf(third);
    expect(thirdState.status).toBe('merged');
    expect(rewardForTipster(thirdState, now)).toMatchObject({
      amountFen: 333_333,
      adjusted: true,
      standing: 'open',
      claimBy: approved.reward?.claimBy,
      jointShare: { shareCount: 3, totalFen: 1_000_001 },
    });
    // The statistics count each share once: together, the reward once.
    const counted = await Promise.all([first, second, third].map(stateOf));
    expect(counted.map((state) => rewardEntryOf(state)?.amountFen)).toEqual([
      333_334, 333_334, 333_333,
    ]);

    const claimed = await claimReward(
      {
        events: store,
        clock,
        receiptKey: new Uint8Array(32),
        contactVault: { seal: async (text) => `sealed:${text}` },
      },
      { tipId: third, idempotencyKey: 'claim-1', method: 'in_person' },
    );
    expect(claimed.kind).toBe('claimed');
    expect(rewardForTipster(await stateOf(first), now)?.standing).toBe('open');
  });

  it('are refused once the reward is approved, a tip named twice, or the tip itself', async () => {
    const refused = (tipIds: string[]) =>
      give(first, { type: 'record_joint_tipsters', tipIds }).then(
        () => null,
        (error: unknown) => (error instanceof TipRuleViolation ? error.text.en : error),
      );
    expect(await refused([first])).toContain('other tips merged into this one');
    expect(await refused([second, second])).toContain('each once');
    expect(jointTipRefusal(second, await stateOf(third))?.en).toContain('must first be merged');
    await give(first, { type: 'compute_reward' }, computer);
    await give(first, { type: 'approve_reward' }, approver);
    expect(await refused([second])).toContain('approved');
  });

  it('without joint tips, leave the reward whole', async () => {
    await give(first, { type: 'compute_reward' }, computer);
    const approved = await give(first, { type: 'approve_reward' }, approver);
    expect(approved.reward?.shares).toBeUndefined();
    expect(rewardForTipster(approved, now)).toMatchObject({ amountFen: 1_000_005 });
    expect(rewardForTipster(approved, now)).not.toHaveProperty('jointShare');
  });

  it("are all written by the approved tip's lifecycle when the approval crashed between them, none twice", async () => {
    await give(first, { type: 'record_joint_tipsters', tipIds: [second, third] });
    await give(first, { type: 'compute_reward' }, computer);
    const approved = await give(first, { type: 'approve_reward' }, approver);

    // The approval's handler wrote the second tip's share, then its process died before
    // the third's: a store that fails every write to the third tip stands for the crash.
    const crashing = Object.create(store) as MemoryEventStore;
    crashing.append = (stream, expected, event, projection) =>
      stream === tipStream(third)
        ? Promise.reject(new Error('killed'))
        : store.append(stream, expected, event, projection);
    await expect(grantJointShares({ ...deps(), events: crashing }, approved)).rejects.toThrow(
      'killed',
    );
    const granted = async (tipId: string) =>
      (await store.read(tipStream(tipId))).filter((event) => event.type === 'reward_share_granted');
    expect(await granted(second)).toHaveLength(1);
    expect(await granted(third)).toHaveLength(0);

    // Nobody resends the approval: the tip's lifecycle, woken by it, completes the shares.
    const lifecycle = {
      events: store,
      clock,
      limits,
      calendar: seedCalendar,
      officeHours: defaultEscalationPolicy.officeHours,
      notifier: { send: async () => {} },
      spread: () => 0,
    };
    const woken: string[] = [];
    const turn = async () => {
      const plan = await planTipTurn(lifecycle, { tipId: first, generation: 1 });
      if (plan.action === 'escalate') {
        await recordDueTipSteps(
          { ...lifecycle, wake: async (tipId) => void woken.push(tipId) },
          { tipId: first, generation: 1 },
        );
      }
      return plan.action;
    };
    expect(await turn()).toBe('escalate');
    expect(await granted(second)).toHaveLength(1);
    expect(await granted(third)).toHaveLength(1);
    expect(woken).toEqual([third]);
    expect((await stateOf(third)).reward).toMatchObject({
      amountFen: 333_335,
      jointShareOf: { tipId: first, totalFen: 1_000_005, shareCount: 3 },
    });
    // Noted once on the approved tip; the next turn has nothing left to write.
    expect((await stateOf(first)).reward?.sharesGrantedAt).toBe(now.toISOString());
    expect(await turn()).not.toBe('escalate');
    // The approval resent after all: still one share each.
    await grantJointShares(deps(), await stateOf(first));
    for (const tipId of [second, third]) expect(await granted(tipId)).toHaveLength(1);
    const notes = (await store.read(tipStream(first))).filter(
      (event) => event.type === 'reward_shares_granted',
    );
    expect(notes).toHaveLength(1);
  });

  it('are refused when the policy of the tip has no joint shares, and nothing changes', async () => {
    const fourth = 'fourthtipabcdefghijklmnopq';
    await receive(fourth, '2026-03-02T05:00:00.000Z');
    // A tip substantiated under a policy that rewards the first tipster alone.
    const substantiated = async (tipId: string) => {
      await give(tipId, { type: 'accept' });
      await give(tipId, { type: 'start_investigation' });
      keys += 1;
      const outcome = await giveTipCommand(
        { ...deps(), rewardPolicy: { ...nationalRewardPolicy, jointTipstersShare: false } },
        {
          tipId,
          command: { type: 'record_finding', finding: 'substantiated', note: '属实' },
          actor: officer,
          idempotencyKey: `k${keys}`,
        },
      );
      if (outcome.kind !== 'done') throw new Error(outcome.kind);
    };
    const alone = 'alonetipabcdefghijklmnopqr';
    await receive(alone, '2026-03-02T06:00:00.000Z');
    await give(fourth, { type: 'merge', intoTipId: alone });
    await substantiated(alone);
    const before = await store.read(tipStream(alone));
    const refusal = await give(alone, { type: 'record_joint_tipsters', tipIds: [fourth] }).then(
      () => null,
      (error: unknown) => (error instanceof TipRuleViolation ? error.text : error),
    );
    expect(refusal).toEqual({
      zh: '本举报适用的奖励标准不设联名举报人共享奖励：只奖励最先举报人。',
      en: 'The reward policy of this tip has no shares for joint tipsters: only the first tipster is rewarded.',
    });
    expect(await store.read(tipStream(alone))).toEqual(before);
  });
});
