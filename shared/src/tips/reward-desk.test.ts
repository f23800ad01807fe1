import { describe, expect, it } from 'vitest';
import { type RewardDeskEntry, rewardDeskItems, rewardWork } from './reward-desk.ts';

const entry = (tipId: string, fields: Partial<RewardDeskEntry> = {}): RewardDeskEntry => ({
  tipId,
  receivedAt: `2026-12-0${tipId.length}T00:00:00.000Z`,
  address: '东门路',
  finding: 'substantiated',
  ...fields,
});

describe("the reward officer's desk", () => {
  it('computes where a case result is in, approves what is computed, oldest first', () => {
    const work = rewardWork([
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
    ]);
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

  it('counts all but lists a bounded few', () => {
    const many = Array.from({ length: rewardDeskItems + 5 }, (_, n) =>
      entry(`t${n}`, { outcomeKind: 'fine_imposed' }),
    );
    const work = rewardWork(many);
    expect(work.toCompute.count).toBe(rewardDeskItems + 5);
    expect(work.toCompute.items).toHaveLength(rewardDeskItems);
  });
});
