import { describe, expect, it } from 'vitest';
import {
  claimDeadlineNearDays,
  type RewardClaimDeskEntry,
  type RewardDeskEntry,
  rewardClaimWork,
  rewardDeskItems,
  rewardWork,
} from './reward-desk.ts';

const entry = (tipId: string, fields: Partial<RewardDeskEntry> = {}): RewardDeskEntry => ({
  tipId,
  receivedAt: `2026-12-0${tipId.length}T00:00:00.000Z`,
  address: '东门路',
  finding: 'substantiated',
  ...fields,
});

const asOf = new Date('2026-12-20T02:00:00.000Z');

describe("the reward officer's desk", () => {
  it('computes where a case result is in, approves what is computed, oldest first', () => {
    const work = rewardWork(
      [
        entry('aaa', { outcomeKind: 'fine_imposed' }),
        entry('a', { outcomeKind: 'accident_concealed' }),
        entry('b'), // no case result yet
        entry('c', { outcomeKind: 'nothing_found' }), // no reward to compute
        entry('d', { finding: 'unsubstantiated', outcomeKind: 'fine_imposed' }),
        entry('ee', {
          outcomeKind: 'fine_imposed',
          reward: { amountFen: 1_200_000, computedByName: '曹颖' },
        }),
        entry('f', { outcomeKind: 'fine_imposed', reward: { amountFen: 1, approvedBy: 'x' } }),
      ],
      asOf,
    );
    expect(work.toCompute.items.map((item) => item.tipId)).toEqual(['a', 'aaa']);
    expect(work.toApprove).toEqual({
      count: 1,
      items: [
        {
          tipId: 'ee',
          receivedAt: '2026-12-02T00:00:00.000Z',
          address: '东门路',
          amountFen: 1_200_000,
          computedByName: '曹颖',
        },
      ],
    });
  });

  it('puts the most urgent notice first, overdue marked, then those without a deadline', () => {
    const notice = (noticeDueBy: string, overdueAt?: string) => ({
      noticeDueBy,
      ...(overdueAt ? { rewardNotice: { reward_notice_overdue: overdueAt } } : {}),
    });
    const work = rewardWork(
      [
        entry('a', { outcomeKind: 'fine_imposed' }), // an older record: no deadline written
        entry('bb', { outcomeKind: 'fine_imposed', ...notice('2026-12-28T16:00:00.000Z') }),
        entry('ccc', {
          outcomeKind: 'fine_imposed',
          ...notice('2026-12-18T16:00:00.000Z', '2026-12-18T16:00:00.000Z'),
        }),
        // Past its deadline, the mark not recorded yet (the lifecycle's turn is to come).
        entry('dddd', { outcomeKind: 'fine_imposed', ...notice('2026-12-19T16:00:00.000Z') }),
        entry('e', {
          outcomeKind: 'fine_imposed',
          reward: { amountFen: 300_000 },
          ...notice('2026-12-21T16:00:00.000Z'),
        }),
      ],
      asOf,
    );
    expect(
      work.toCompute.items.map(({ tipId, noticeDueBy, noticeOverdue }) => [
        tipId,
        noticeDueBy,
        noticeOverdue,
      ]),
    ).toEqual([
      ['ccc', '2026-12-18T16:00:00.000Z', true],
      ['dddd', '2026-12-19T16:00:00.000Z', true],
      ['bb', '2026-12-28T16:00:00.000Z', false],
      ['a', undefined, undefined],
    ]);
    expect(work.toApprove.items).toEqual([
      expect.objectContaining({
        tipId: 'e',
        noticeDueBy: '2026-12-21T16:00:00.000Z',
        noticeOverdue: false,
      }),
    ]);
  });

  it('counts all but lists a bounded few', () => {
    const many = Array.from({ length: rewardDeskItems + 5 }, (_, n) =>
      entry(`t${n}`, { outcomeKind: 'fine_imposed' }),
    );
    const work = rewardWork(many, asOf);
    expect(work.toCompute.count).toBe(rewardDeskItems + 5);
    expect(work.toCompute.items).toHaveLength(rewardDeskItems);
  });
});

describe("the reward officer's desk: claims to pay and deadlines near", () => {
  const now = new Date('2026-12-20T02:00:00.000Z');
  const claim = (
    tipId: string,
    reward: RewardClaimDeskEntry['reward'],
    receivedAt = '2026-11-01T00:00:00.000Z',
  ): RewardClaimDeskEntry => ({ tipId, receivedAt, address: '东门路', reward });
  const approved = { amountFen: 1_200_000, approvedAt: '2026-11-10T02:00:00.000Z' };

  it('lists claims not yet paid, oldest claim first, with method, amount and deadline', () => {
    const work = rewardClaimWork(
      [
        claim('late', {
          ...approved,
          claimBy: '2027-01-09T16:00:00.000Z',
          claim: { method: 'bank_transfer', claimedAt: '2026-12-12T02:00:00.000Z' },
        }),
        claim('early', {
          ...approved,
          claimBy: '2027-01-09T16:00:00.000Z',
          claim: { method: 'in_person', claimedAt: '2026-12-11T02:00:00.000Z' },
        }),
        claim('paid', {
          ...approved,
          claim: { method: 'in_person', claimedAt: '2026-12-10T02:00:00.000Z' },
          payment: { paidOn: '2026-12-11' },
        }),
        claim('unclaimed', { ...approved, claimBy: '2027-01-09T16:00:00.000Z' }),
      ],
      now,
    );
    expect(work.claimsToPay).toEqual({
      count: 2,
      items: [
        {
          tipId: 'early',
          receivedAt: '2026-11-01T00:00:00.000Z',
          address: '东门路',
          amountFen: 1_200_000,
          claimMethod: 'in_person',
          claimedAt: '2026-12-11T02:00:00.000Z',
          claimBy: '2027-01-09T16:00:00.000Z',
        },
        expect.objectContaining({ tipId: 'late', claimMethod: 'bank_transfer' }),
      ],
    });
  });

  it('lists unclaimed rewards whose deadline is within the reminder days, nearest first', () => {
    const by = (days: number) => new Date(now.getTime() + days * 24 * 3600 * 1000).toISOString();
    const work = rewardClaimWork(
      [
        claim('in-ten', { ...approved, claimBy: by(10) }),
        claim('in-two', { ...approved, claimBy: by(2) }),
        claim('in-eleven', { ...approved, claimBy: by(11) }), // not near yet
        claim('past', { ...approved, claimBy: by(-1) }), // lapsed, recorded or not
        claim('lapsed', { ...approved, claimBy: by(1), lapsedAt: by(0) }),
        claim('claimed', {
          ...approved,
          claimBy: by(1),
          claim: { method: 'in_person', claimedAt: by(-1) },
        }),
        // A joint tipster's tip whose share is nothing: nothing to claim.
        claim('no-share', {
          ...approved,
          claimBy: by(1),
          shares: [
            { tipId: 'no-share', amountFen: 0 },
            { tipId: 'x', amountFen: 1_200_000 },
          ],
        }),
      ],
      now,
    );
    expect(claimDeadlineNearDays).toBe(10);
    expect(work.deadlineNear.count).toBe(2);
    expect(work.deadlineNear.items.map((item) => [item.tipId, item.claimBy])).toEqual([
      ['in-two', by(2)],
      ['in-ten', by(10)],
    ]);
    expect(work.deadlineNear.items[0]).not.toHaveProperty('claimMethod');
  });

  it("counts each joint tipster's own share, and shows nothing of the claim's secrets", () => {
    const work = rewardClaimWork(
      [
        claim('joint', {
          ...approved,
          shares: [
            { tipId: 'joint', amountFen: 400_000 },
            { tipId: 'other', amountFen: 800_000 },
          ],
          claim: { method: 'in_person', claimedAt: '2026-12-11T02:00:00.000Z' },
          // What a read might carry beyond the desk's projection is never passed on.
          ...({ claimCodeHash: 'h', bankSealed: 's' } as object),
        }),
      ],
      now,
    );
    expect(work.claimsToPay.items[0]?.amountFen).toBe(400_000);
    expect(JSON.stringify(work)).not.toMatch(/claimCodeHash|bankSealed/);
  });
});
