import { describe, expect, it } from 'vitest';
import { type RewardListEntry, rewardList, rewardListItems } from './reward-list.ts';

const now = new Date('2026-12-10T02:00:00.000Z');
const entry = (tipId: string, day: number, fields: Partial<RewardListEntry> = {}) => ({
  tipId,
  receivedAt: `2026-11-${String(day).padStart(2, '0')}T00:00:00.000Z`,
  address: '东门路 18 号',
  finding: 'substantiated' as const,
  ...fields,
});
const fine = { kind: 'fine_imposed' as const, fineYuan: 80_000 };
const approved = { amountFen: 1_200_000, approvedAt: '2026-12-01T00:00:00.000Z' };

describe("the reward officer's list", () => {
  it('lists every tip a reward concerns with where it stands, newest first, once', () => {
    const list = rewardList(
      [
        entry('none', 1), // no case result yet
        entry('nothing', 2, { outcome: { kind: 'nothing_found' } }),
        entry('refused', 3, { finding: 'unsubstantiated', outcome: fine }),
        entry('compute', 4, { outcome: fine }),
        entry('approve', 5, { outcome: fine, reward: { amountFen: 1_200_000 } }),
        entry('open', 6, {
          outcome: fine,
          reward: { ...approved, claimBy: '2026-12-31T16:00:00.000Z' },
        }),
        // Read twice (the inbox and the approved rewards' index): listed once.
        entry('open', 6, {
          outcome: fine,
          reward: { ...approved, claimBy: '2026-12-31T16:00:00.000Z' },
        }),
        entry('claimed', 7, {
          outcome: { kind: 'accident_concealed', deaths: 2, accidentGrade: 'larger' },
          reward: {
            ...approved,
            claim: { method: 'bank_transfer', claimedAt: '2026-12-02T00:00:00.000Z' },
          },
        }),
        entry('paid', 8, {
          outcome: fine,
          reward: {
            ...approved,
            claim: { method: 'in_person', claimedAt: '2026-12-02T00:00:00.000Z' },
            payment: { paidOn: '2026-12-03' },
          },
        }),
        // Past its deadline unclaimed: lapsed, whether or not the lapse is recorded.
        entry('lapsed', 9, { outcome: fine, reward: { ...approved, claimBy: now.toISOString() } }),
        // A joint tipster's merged tip: its own share, though it has no case result.
        {
          tipId: 'joint',
          receivedAt: '2026-11-10T00:00:00.000Z',
          address: '东门路 18 号',
          reward: {
            ...approved,
            shares: [
              { tipId: 'open', amountFen: 600_000 },
              { tipId: 'joint', amountFen: 600_000 },
            ],
          },
        },
      ],
      now,
    );
    expect(list.items.map((item) => [item.tipId, item.standing])).toEqual([
      ['joint', 'approved'],
      ['lapsed', 'lapsed'],
      ['paid', 'paid'],
      ['claimed', 'claimed'],
      ['open', 'approved'],
      ['approve', 'to_approve'],
      ['compute', 'to_compute'],
    ]);
    expect(list.count).toBe(7);
    const byId = Object.fromEntries(list.items.map((item) => [item.tipId, item]));
    expect(byId.joint?.amountFen).toBe(600_000);
    expect(byId.compute).toEqual({
      tipId: 'compute',
      receivedAt: '2026-11-04T00:00:00.000Z',
      address: '东门路 18 号',
      standing: 'to_compute',
      outcomeKind: 'fine_imposed',
      fineYuan: 80_000,
    });
    expect(byId.claimed).toMatchObject({
      claimMethod: 'bank_transfer',
      deaths: 2,
      accidentGrade: 'larger',
    });
    expect(byId.paid?.paidOn).toBe('2026-12-03');
  });

  it('sends at most its page of items, the count whole', () => {
    const many = Array.from({ length: rewardListItems + 5 }, (_, index) =>
      entry(`t${index}`, 1, { outcome: fine }),
    );
    const list = rewardList(many, now);
    expect(list.count).toBe(rewardListItems + 5);
    expect(list.items).toHaveLength(rewardListItems);
  });
});
