import { beforeEach, describe, expect, it } from 'vitest';
import { tipReceived } from '../../../tests/support/tip-lifecycle.ts';
import { seedCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import { IdempotencyKeyReused } from '../event-log/idempotency.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { nationalRewardPolicy } from '../rewards/reward-policy.ts';
import { claimReward } from './claim-command.ts';
import {
  claimCodeHash,
  normalizeClaimCode,
  rewardDeadlines,
  rewardForOffice,
  rewardForTipster,
} from './reward-claim.ts';
import { defaultTipTimeLimits as limits } from './time-limits.ts';
import { TipRuleViolation, type TipState, tipProjection, tipStream } from './tip.ts';
import { giveTipCommand, type TipCommand } from './triage.ts';

const officer: Actor = { kind: 'person', id: 'officer-1', name: '李警官' };
const computer: Actor = { kind: 'person', id: 'reward-1', name: '吕娜' };
const approver: Actor = { kind: 'person', id: 'reward-2', name: '施浩' };
const receiptKey = new TextEncoder().encode('a test key of thirty-two bytes!!');
// A vault that is visibly not clear text, enough to see the account never lands in clear.
const vault = { seal: async (text: string) => `sealed:${Buffer.from(text).toString('base64')}` };

let store: MemoryEventStore;
let now: Date;
let keys = 0;

const deps = () => ({
  events: store,
  clock: { now: () => now },
  calendar: seedCalendar,
  limits,
  workflow: { wake: async () => {} },
});
const claimDeps = () => ({
  events: store,
  clock: { now: () => now },
  receiptKey,
  contactVault: vault,
});

async function give(command: TipCommand, actor = officer) {
  keys += 1;
  const outcome = await giveTipCommand(deps(), {
    tipId: 't1',
    command,
    actor,
    idempotencyKey: `k${keys}`,
  });
  if (outcome.kind !== 'done') throw new Error(outcome.kind);
  return outcome.snapshot.state;
}

async function stateOf(): Promise<TipState> {
  const snapshot = await store.load(tipStream('t1'), tipProjection);
  if (!snapshot) throw new Error('no tip');
  return snapshot.state;
}

async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof TipRuleViolation) return error.text;
    throw error;
  }
}

/** A tip substantiated and fined 80,000 yuan on 3 March, its reward computed (not approved). */
async function computed() {
  const at = '2026-03-02T02:00:00.000Z';
  await store.append(tipStream('t1'), null, tipReceived('t1', at), tipProjection);
  await give({ type: 'accept' });
  await give({ type: 'start_investigation' });
  await give({ type: 'record_finding', finding: 'substantiated', note: '属实' });
  await give({
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
    documentNumber: '渝葛应急罚〔2026〕12号',
  });
  await give({ type: 'compute_reward' }, computer);
}

beforeEach(() => {
  store = new MemoryEventStore();
  now = new Date('2026-03-03T02:00:00.000Z'); // Tue 10:00 CST
  keys = 0;
});

describe('the deadlines of a reward', () => {
  it('are kept on the tip when the reward is approved: notice 20 days from the result, claim 60 from the approval', async () => {
    await computed();
    now = new Date('2026-03-10T02:00:00.000Z');
    const state = await give({ type: 'approve_reward' }, approver);
    expect(state.reward?.noticeDueBy).toBe('2026-03-23T16:00:00.000Z'); // 3 March + 20, 24:00 CST
    expect(state.reward?.claimBy).toBe('2026-05-09T16:00:00.000Z'); // 10 March + 60, 24:00 CST
  });

  it('count working days when the policy says so', () => {
    const { claimBy } = rewardDeadlines(
      { ...nationalRewardPolicy, claimDays: 5, deadlineUnit: 'working' },
      { approvedAt: new Date('2026-04-30T02:00:00.000Z') }, // Thursday before the May holiday
      seedCalendar,
    );
    // 1–5 May are holidays, 9 May a make-up working day: 6, 7, 8, 9, 11 May.
    expect(claimBy).toBe('2026-05-11T16:00:00.000Z');
  });
});

describe('the tipster claims a reward', () => {
  it('is refused before the reward is approved, and nothing is written', async () => {
    await computed();
    const before = await stateOf();
    const outcome = await claimReward(claimDeps(), {
      tipId: 't1',
      idempotencyKey: 'c1',
      method: 'in_person',
    });
    expect(outcome).toMatchObject({ kind: 'refused', lapsed: false });
    if (outcome.kind === 'refused') expect(outcome.text.en).toContain('no approved reward');
    expect(await stateOf()).toEqual(before);
    expect(rewardForTipster(before, now)).toBeUndefined();
  });

  it('in person: a code shown once, only its keyed hash kept; a retry shows the same code', async () => {
    await computed();
    await give({ type: 'approve_reward' }, approver);
    const first = await claimReward(claimDeps(), {
      tipId: 't1',
      idempotencyKey: 'c1',
      method: 'in_person',
    });
    if (first.kind !== 'claimed') throw new Error(first.kind);
    expect(first.claimCode).toMatch(/^\d{5}-\d{5}$/);
    const state = await stateOf();
    expect(JSON.stringify(state)).not.toContain(first.claimCode?.replace('-', ''));
    expect(state.reward?.claim?.claimCodeHash).toBe(
      await claimCodeHash(receiptKey, 't1', first.claimCode ?? ''),
    );
    const retry = await claimReward(claimDeps(), {
      tipId: 't1',
      idempotencyKey: 'c1',
      method: 'in_person',
    });
    expect(retry).toMatchObject({ kind: 'claimed', duplicate: true, claimCode: first.claimCode });
    expect(rewardForTipster(await stateOf(), now)).toMatchObject({
      amountFen: 1_200_000,
      standing: 'claimed',
      method: 'in_person',
    });
  });

  it('refuses a second claim under another key, and the same key for another claim', async () => {
    await computed();
    await give({ type: 'approve_reward' }, approver);
    await claimReward(claimDeps(), { tipId: 't1', idempotencyKey: 'c1', method: 'in_person' });
    const before = await stateOf();
    const second = await claimReward(claimDeps(), {
      tipId: 't1',
      idempotencyKey: 'c2',
      method: 'in_person',
    });
    expect(second).toMatchObject({ kind: 'refused' });
    if (second.kind === 'refused') expect(second.text.zh).toContain('不能重复申领');
    await expect(
      claimReward(claimDeps(), {
        tipId: 't1',
        idempotencyKey: 'c1',
        method: 'bank_transfer',
        bank: { accountName: '张三', bankName: '工商银行', accountNumber: '6222020200112233445' },
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReused);
    expect(await stateOf()).toEqual(before);
  });

  it('by bank transfer: the account sealed, never in clear on the tip nor in the office view', async () => {
    await computed();
    await give({ type: 'approve_reward' }, approver);
    const bank = {
      accountName: '张三',
      bankName: '工商银行',
      accountNumber: '6222020200112233445',
    };
    const outcome = await claimReward(claimDeps(), {
      tipId: 't1',
      idempotencyKey: 'c1',
      method: 'bank_transfer',
      bank,
    });
    expect(outcome).toMatchObject({ kind: 'claimed' });
    const events = await store.read(tipStream('t1'));
    expect(JSON.stringify(events)).not.toContain(bank.accountNumber);
    expect(JSON.stringify(events)).not.toContain(bank.accountName);
    const state = await stateOf();
    expect(state.reward?.claim?.bankSealed).toMatch(/^sealed:/);
    const office = rewardForOffice(state.reward ?? ({} as never), now);
    expect(office.claim).toEqual({
      method: 'bank_transfer',
      claimedAt: now.toISOString(),
      hasBankDetails: true,
    });
    expect(JSON.stringify(office)).not.toContain('sealed:');
  });

  it('is accepted on the last day, refused after it; the lapse is recorded once', async () => {
    await computed();
    await give({ type: 'approve_reward' }, approver);
    const claimBy = (await stateOf()).reward?.claimBy ?? '';
    now = new Date(Date.parse(claimBy) - 1);
    expect(rewardForTipster(await stateOf(), now)?.standing).toBe('open');
    now = new Date(Date.parse(claimBy));
    expect(rewardForTipster(await stateOf(), now)?.standing).toBe('lapsed');
    const late = await claimReward(claimDeps(), {
      tipId: 't1',
      idempotencyKey: 'c1',
      method: 'in_person',
    });
    expect(late).toMatchObject({ kind: 'refused', lapsed: true });
    if (late.kind === 'refused') {
      expect(late.text.zh).toContain('领取期限已于 2026-05-02 届满');
      expect(late.text.en).toContain('lapsed');
    }
    await claimReward(claimDeps(), { tipId: 't1', idempotencyKey: 'c2', method: 'in_person' });
    const events = await store.read(tipStream('t1'));
    expect(events.filter((event) => event.type === 'reward_lapsed')).toHaveLength(1);
    expect(events.some((event) => event.type === 'reward_claimed')).toBe(false);
    expect((await stateOf()).reward?.lapsedAt).toBe(now.toISOString());
  });
});

describe('the reward officer records the payment', () => {
  async function claimed(method: 'in_person' | 'bank_transfer') {
    await computed();
    await give({ type: 'approve_reward' }, approver);
    const outcome = await claimReward(
      claimDeps(),
      method === 'in_person'
        ? { tipId: 't1', idempotencyKey: 'c1', method }
        : {
            tipId: 't1',
            idempotencyKey: 'c1',
            method,
            bank: {
              accountName: '张三',
              bankName: '工商银行',
              accountNumber: '6222020200112233445',
            },
          },
    );
    return outcome.kind === 'claimed' ? outcome.claimCode : undefined;
  }
  const payment = { type: 'record_payment', paidOn: '2026-03-05', voucherNumber: '记-2026-031' };

  it('refuses a payment before the claim', async () => {
    await computed();
    await give({ type: 'approve_reward' }, approver);
    now = new Date('2026-03-06T02:00:00.000Z');
    expect((await refusalOf(give(payment as TipCommand, computer)))?.en).toContain('not claimed');
  });

  it('in person: only with the code the claimant shows', async () => {
    const code = await claimed('in_person');
    now = new Date('2026-03-06T02:00:00.000Z');
    const wrong = await claimCodeHash(receiptKey, 't1', '00000-00000');
    expect(
      (await refusalOf(give({ ...payment, claimCodeHash: wrong } as TipCommand, computer)))?.zh,
    ).toContain('领奖码不符');
    expect((await refusalOf(give(payment as TipCommand, computer)))?.en).toContain('claim code');
    const right = await claimCodeHash(receiptKey, 't1', normalizeClaimCode(code ?? '') ?? '');
    const state = await give({ ...payment, claimCodeHash: right } as TipCommand, computer);
    expect(state.reward?.payment).toMatchObject({
      paidOn: '2026-03-05',
      voucherNumber: '记-2026-031',
      recordedBy: 'reward-1',
    });
    expect(rewardForTipster(state, now)).toMatchObject({ standing: 'paid', paidOn: '2026-03-05' });
    expect(
      (await refusalOf(give({ ...payment, claimCodeHash: right } as TipCommand, computer)))?.en,
    ).toContain('already recorded');
  });

  it('refuses a date in the future, before the claim, or no voucher', async () => {
    await claimed('bank_transfer');
    now = new Date('2026-03-06T02:00:00.000Z');
    const before = await stateOf();
    const at = (paidOn: string, voucherNumber = 'V1') =>
      refusalOf(give({ type: 'record_payment', paidOn, voucherNumber }, computer));
    expect((await at('2026-03-07'))?.zh).toContain('不能晚于今天');
    expect((await at('2026-03-02'))?.en).toContain('before the claim');
    expect((await at('2026-03-05', ' '))?.en).toContain('voucher');
    expect(await stateOf()).toEqual(before);
    expect(
      (await give({ type: 'record_payment', paidOn: '2026-03-06', voucherNumber: 'V1' }, computer))
        .reward?.payment?.paidOn,
    ).toBe('2026-03-06');
  });
});
