import { beforeEach, describe, expect, it } from 'vitest';
import { tipReceived } from '../../../tests/support/tip-lifecycle.ts';
import { seedCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import { IdempotencyKeyReused } from '../event-log/idempotency.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import {
  nationalRewardPolicy,
  type RewardPolicy,
  shandongRewardPolicy,
} from '../rewards/reward-policy.ts';
import { defaultTipTimeLimits as limits } from './time-limits.ts';
import {
  checkTipTransition,
  refusalReasons,
  TipRuleViolation,
  type TipState,
  tipForOfficer,
  tipForTipster,
  tipProjection,
  tipStream,
} from './tip.ts';
import { giveTipCommand, type TipCommand, tipCommandRoles } from './triage.ts';

const officer: Actor = { kind: 'person', id: 'officer-1', name: '李警官' };
const head: Actor = { kind: 'person', id: 'head-1', name: '张科长' };
const jurisdiction = { code: 'cq-gecheng', zh: '葛城街道', en: 'Gecheng' };

let store: MemoryEventStore;
let now: Date;
let woken: string[];
let keys = 0;
let rewardPolicy: RewardPolicy | undefined;

const deps = () => ({
  ...(rewardPolicy ? { rewardPolicy } : {}),
  events: store,
  clock: { now: () => now },
  calendar: seedCalendar,
  limits,
  workflow: {
    wake: async (tipId: string) => {
      woken.push(tipId);
    },
  },
});

async function receive(tipId: string, at = '2026-03-02T02:00:00.000Z') {
  const result = await store.append(tipStream(tipId), null, tipReceived(tipId, at), tipProjection);
  if (result.kind !== 'appended') throw new Error('not appended');
}

function give(tipId: string, command: TipCommand, actor = officer, expectedRevision?: number) {
  keys += 1;
  return giveTipCommand(deps(), {
    tipId,
    command,
    actor,
    idempotencyKey: `k${keys}`,
    ...(expectedRevision === undefined ? {} : { expectedRevision }),
  });
}

async function stateOf(tipId: string): Promise<TipState> {
  const snapshot = await store.load(tipStream(tipId), tipProjection);
  if (!snapshot) throw new Error('no tip');
  return snapshot.state;
}

/** The bilingual refusal of a command, or null when it was accepted. */
async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof TipRuleViolation) return error.text;
    throw error;
  }
}

beforeEach(() => {
  store = new MemoryEventStore();
  now = new Date('2026-03-03T02:00:00.000Z'); // Tue 10:00 CST
  woken = [];
  rewardPolicy = undefined;
});

describe('roles', () => {
  it('lets the department head approve an extension, reward officers compute and approve rewards; officers do the rest', () => {
    expect(tipCommandRoles.approve_extension).toEqual(['department_head']);
    expect(tipCommandRoles.compute_reward).toEqual(['reward_officer']);
    expect(tipCommandRoles.approve_reward).toEqual(['reward_officer']);
    expect(tipCommandRoles.record_payment).toEqual(['reward_officer']);
    const others = Object.entries(tipCommandRoles).filter(
      ([type]) =>
        !['approve_extension', 'compute_reward', 'approve_reward', 'record_payment'].includes(type),
    );
    expect(others.every(([, roles]) => roles.length === 1 && roles[0] === 'officer')).toBe(true);
  });
});

describe('giving a command', () => {
  it('accepts: 60 calendar days to verify, the tipster told the date; wakes the workflow', async () => {
    await receive('t1');
    const outcome = await give('t1', { type: 'accept' });
    expect(outcome.kind).toBe('done');
    const state = await stateOf('t1');
    expect(state).toMatchObject({
      status: 'accepted',
      acceptedAt: now.toISOString(),
      verifyDeadline: '2026-05-02T16:00:00.000Z', // 3 Mar + 60 days = 2 May, 24:00 CST
      extensionUsed: false,
    });
    expect(state.timeline.at(-1)).toEqual({
      at: now.toISOString(),
      status: 'accepted',
      reason: {
        zh: '已受理，将于 2026-05-02 前完成核查。',
        en: 'Accepted: verification will be finished by 2026-05-02.',
      },
    });
    expect(woken).toEqual(['t1']);
  });

  it('is a no-op when retried, a conflict on a stale revision, and not_found for no tip', async () => {
    await receive('t1');
    const request = {
      tipId: 't1',
      command: { type: 'accept' } as const,
      actor: officer,
      idempotencyKey: 'same',
    };
    const first = await giveTipCommand(deps(), request);
    const again = await giveTipCommand(deps(), request);
    expect(again).toMatchObject({ kind: 'done', duplicate: true });
    // The same key for another command is refused, and writes nothing.
    const version = (await store.read(tipStream('t1'))).length;
    await expect(
      giveTipCommand(deps(), { ...request, command: { type: 'start_investigation' } }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReused);
    expect(await store.read(tipStream('t1'))).toHaveLength(version);
    expect(first.kind === 'done' && again.kind === 'done' && again.snapshot.version).toBe(
      first.kind === 'done' && first.snapshot.version,
    );
    // The officer saw the tip as received (revision 1); it was accepted since (revision 2).
    const stale = await give('t1', { type: 'start_investigation' }, officer, 1);
    expect(stale.kind).toBe('conflict');
    expect((await give('t1', { type: 'start_investigation' }, officer, 2)).kind).toBe('done');
    await give('t1', { type: 'record_finding', finding: 'unsubstantiated', note: '未发现' });
    expect((await stateOf('t1')).status).toBe('unsubstantiated');
    expect(await give('nobody', { type: 'accept' })).toEqual({ kind: 'not_found' });
  });

  it('refuses with a listed reason the tipster sees, without the internal note', async () => {
    await receive('t1');
    await give('t1', { type: 'refuse', reason: 'opinion_or_request', note: '李某来电，系信访件' });
    const state = await stateOf('t1');
    expect(state.status).toBe('refused');
    expect(state.refusal).toEqual({ reason: 'opinion_or_request', note: '李某来电，系信访件' });
    const seen = tipForTipster(state, jurisdiction);
    expect(seen.timeline.at(-1)).toEqual({
      at: now.toISOString(),
      status: 'refused',
      reason: refusalReasons.opinion_or_request,
    });
    expect(JSON.stringify(seen)).not.toMatch(/李某|officer-1|李警官/);
    // Final: nothing more.
    expect(await refusalOf(give('t1', { type: 'accept' }))).toMatchObject({
      en: 'Not allowed while the tip is refused.',
    });
  });

  it('refers to another department, telling the tipster where', async () => {
    await receive('t1');
    await give('t1', { type: 'refer', department: '区交通运输局', note: '道路交通' });
    const state = await stateOf('t1');
    expect(state).toMatchObject({ status: 'referred', referredTo: '区交通运输局' });
    expect(tipForTipster(state, jurisdiction).timeline.at(-1)?.reason?.zh).toBe(
      '已转交区交通运输局处理。',
    );
    expect(JSON.stringify(tipForTipster(state, jurisdiction))).not.toContain('道路交通');
  });

  it('merges into another tip without naming it to the tipster or touching it', async () => {
    await receive('t1');
    await receive('t2');
    expect(await refusalOf(give('t2', { type: 'merge', intoTipId: 't2' }))).toEqual({
      zh: '举报不能合并到自身。',
      en: 'A tip cannot be merged into itself.',
    });
    await give('t2', { type: 'merge', intoTipId: 't1' });
    const merged = await stateOf('t2');
    expect(merged).toMatchObject({ status: 'merged', mergedInto: 't1' });
    expect(JSON.stringify(tipForTipster(merged, jurisdiction))).not.toContain('t1');
    expect((await store.read(tipStream('t1'))).length).toBe(1);
  });

  it('refuses feedback before a finding, and an unknown refusal reason', async () => {
    await receive('t1');
    expect(await refusalOf(give('t1', { type: 'give_feedback', text: '已处理' }))).toEqual({
      zh: '核查结果记录后才能反馈。',
      en: 'Feedback needs the verification result first.',
    });
    expect(
      await refusalOf(give('t1', { type: 'refuse', reason: 'because' as 'duplicate' })),
    ).not.toBeNull();
    await give('t1', { type: 'accept' });
    expect(await refusalOf(give('t1', { type: 'give_feedback', text: '已处理' }))).not.toBeNull();
    expect(
      await refusalOf(give('t1', { type: 'record_finding', finding: 'substantiated', note: 'x' })),
    ).not.toBeNull(); // the investigation has not started
  });
});

describe('the verification extension', () => {
  it('is approved once, by at most 30 days, its reason given to the tipster', async () => {
    await receive('t1');
    await give('t1', { type: 'accept' });
    expect(
      await refusalOf(give('t1', { type: 'approve_extension', days: 31, reason: '鉴定' }, head)),
    ).toEqual({ zh: '延长天数须为 1 至 30 天。', en: 'An extension is 1 to 30 days.' });
    expect(
      await refusalOf(give('t1', { type: 'approve_extension', days: 0, reason: '鉴定' }, head)),
    ).not.toBeNull();
    expect(
      await refusalOf(give('t1', { type: 'approve_extension', days: 10, reason: ' ' }, head)),
    ).not.toBeNull();
    await give('t1', { type: 'approve_extension', days: 30, reason: '需委托检测机构鉴定' }, head);
    const state = await stateOf('t1');
    expect(state).toMatchObject({
      status: 'accepted',
      verifyDeadline: '2026-06-01T16:00:00.000Z',
      extensionUsed: true,
      extension: { days: 30, reason: '需委托检测机构鉴定', approvedBy: 'head-1' },
    });
    const seen = tipForTipster(state, jurisdiction);
    expect(seen.timeline.at(-1)?.reason).toEqual({
      zh: '核查期限经批准延长 30 天，至 2026-06-01。理由：需委托检测机构鉴定',
      en: 'Verification extended by 30 days with approval, to 2026-06-01. Reason: 需委托检测机构鉴定',
    });
    expect(JSON.stringify(seen)).not.toMatch(/head-1|张科长/);

    await give('t1', { type: 'start_investigation' });
    expect(
      await refusalOf(give('t1', { type: 'approve_extension', days: 5, reason: '再延' }, head)),
    ).toEqual({ zh: '核查期限只能延长一次。', en: 'Verification can be extended once only.' });
  });
});

describe('the whole course', () => {
  it('goes received → accepted → investigating → substantiated → closed by feedback', async () => {
    await receive('t1');
    await give('t1', { type: 'accept' });
    await give('t1', { type: 'start_investigation' });
    now = new Date('2026-03-20T02:00:00.000Z');
    await give('t1', {
      type: 'record_finding',
      finding: 'substantiated',
      note: '现场核实，王某承认堵塞出口',
      hazardId: 'H-2026-0001',
    });
    let state = await stateOf('t1');
    expect(state).toMatchObject({
      status: 'substantiated',
      finding: 'substantiated',
      verifiedAt: '2026-03-20T02:00:00.000Z',
      feedbackDeadline: '2026-03-30T16:00:00.000Z',
      hazardId: 'H-2026-0001',
    });
    expect(tipForOfficer(state)).toMatchObject({
      findingNote: '现场核实，王某承认堵塞出口',
      runningLimit: { limit: 'feedback', deadline: '2026-03-30T16:00:00.000Z' },
    });
    now = new Date('2026-03-25T02:00:00.000Z');
    await give('t1', { type: 'give_feedback', text: '经核查，举报属实，已责令整改。' });
    state = await stateOf('t1');
    expect(state).toMatchObject({ status: 'closed', closedAt: now.toISOString() });
    const seen = tipForTipster(state, jurisdiction);
    expect(seen.timeline.map((entry) => entry.status)).toEqual([
      'received',
      'accepted',
      'investigating',
      'substantiated',
      'closed',
    ]);
    expect(seen.timeline.at(-1)?.reason?.zh).toBe('经核查，举报属实，已责令整改。');
    expect(JSON.stringify(seen)).not.toMatch(/王某|officer-1|李警官|H-2026/);
    expect(await refusalOf(give('t1', { type: 'give_feedback', text: '再次' }))).not.toBeNull();
  });
});

describe('checkTipTransition', () => {
  it('refuses a second tip_received, and any event before one', async () => {
    await receive('t1');
    const state = await stateOf('t1');
    expect(() =>
      checkTipTransition(state, { type: 'tip_received', data: { ...state, photoIds: [] } }),
    ).toThrow(TipRuleViolation);
    expect(() => checkTipTransition(null, { type: 'tip_accepted', data: {} })).toThrow(
      'There is no such tip.',
    );
  });

  it('allows only the running limit to record a step, and only newer generations', async () => {
    await receive('t1');
    const state = await stateOf('t1');
    const step = (limit: 'accept' | 'verify') =>
      ({
        type: 'time_limit_step_recorded',
        data: { limit, step: 'reminder', dueAt: '', late: false },
      }) as const;
    expect(() => checkTipTransition(state, step('accept'))).not.toThrow();
    expect(() => checkTipTransition(state, step('verify'))).toThrow(TipRuleViolation);
    expect(() =>
      checkTipTransition(state, { type: 'lifecycle_generation_started', data: { generation: 0 } }),
    ).toThrow(TipRuleViolation);
  });

  it('reads a state stored before the triage fields existed', async () => {
    await receive('t1');
    const { generation: _g, timeLimitSteps: _t, extensionUsed: _e, ...old } = await stateOf('t1');
    const next = tipProjection.apply(old as TipState, {
      type: 'tip_accepted',
      at: now.toISOString(),
      actor: officer,
      data: {},
      stream: tipStream('t1'),
      sequence: 2,
      previousHash: '',
      hash: '',
    });
    expect(next).toMatchObject({ status: 'accepted', generation: 0, timeLimitSteps: [] });
  });
});

describe('the case result and the reward', () => {
  const rewardOfficer: Actor = { kind: 'person', id: 'reward-1', name: '吕娜' };
  const approver: Actor = { kind: 'person', id: 'reward-2', name: '施浩' };

  async function substantiated(tipId: string) {
    await receive(tipId);
    await give(tipId, { type: 'accept' });
    await give(tipId, { type: 'start_investigation' });
    await give(tipId, { type: 'record_finding', finding: 'substantiated', note: '属实' });
  }

  const fine = {
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
    documentNumber: '渝葛应急罚〔2026〕12号',
  } as const;

  it('computes by the policy in force when the tip was substantiated, approved by another', async () => {
    rewardPolicy = shandongRewardPolicy;
    await substantiated('t1');
    rewardPolicy = nationalRewardPolicy; // edited afterwards: not the one applied
    await give('t1', fine);
    await give('t1', { type: 'compute_reward' }, rewardOfficer);
    let state = await stateOf('t1');
    expect(state.reward).toMatchObject({
      amountFen: 4_000_000,
      computedBy: 'reward-1',
      computation: { policyVersion: 'shandong-2024-1' },
    });
    expect(state.reward?.computation.figures.zh).toContain('罚款 80,000 元 × 50% = 40,000 元');
    await give('t1', { type: 'approve_reward' }, approver);
    state = await stateOf('t1');
    expect(state.reward).toMatchObject({ approvedBy: 'reward-2', amountFen: 4_000_000 });
    expect(tipForOfficer(state)).toMatchObject({
      outcome: { kind: 'fine_imposed', fineYuan: 80_000, documentNumber: fine.documentNumber },
      reward: { amountFen: 4_000_000, approvedBy: 'reward-2' },
    });
  });

  it('refuses the same person approving what they computed; nothing changes', async () => {
    await substantiated('t1');
    await give('t1', fine);
    await give('t1', { type: 'compute_reward' }, rewardOfficer);
    const before = await stateOf('t1');
    const refusal = await refusalOf(give('t1', { type: 'approve_reward' }, rewardOfficer));
    expect(refusal?.zh).toContain('不能批准');
    expect(refusal?.en).toContain('cannot approve');
    expect(await stateOf('t1')).toEqual(before);
  });

  it('takes an adjusted amount only with a reason', async () => {
    await substantiated('t1');
    await give('t1', fine);
    const adjusted = { type: 'compute_reward', adjustedAmountFen: 1_000_000 } as const;
    expect((await refusalOf(give('t1', adjusted, rewardOfficer)))?.en).toContain('reason');
    await give('t1', { ...adjusted, reason: '联名举报，两人平分' }, rewardOfficer);
    expect((await stateOf('t1')).reward).toMatchObject({
      amountFen: 1_000_000,
      adjustmentReason: '联名举报，两人平分',
      computation: { amountFen: 1_200_000 }, // national: 80,000 × 15%
    });
  });

  it('refuses a result on a tip not substantiated, and a reward when nothing was found', async () => {
    await receive('t1');
    await give('t1', { type: 'accept' });
    expect((await refusalOf(give('t1', fine)))?.zh).toContain('核查属实后');
    await substantiated('t2');
    await give('t2', {
      type: 'record_outcome',
      outcome: { kind: 'nothing_found' },
      documentNumber: '无',
    });
    expect((await refusalOf(give('t2', { type: 'compute_reward' }, rewardOfficer)))?.en).toContain(
      'no reward',
    );
  });
});
