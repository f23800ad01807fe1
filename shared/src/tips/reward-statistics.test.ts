import { describe, expect, it } from 'vitest';
import { type RewardEntry, rewardStatistics } from './reward-statistics.ts';

const entry = (over: Partial<RewardEntry>): RewardEntry => ({
  jurisdiction: 'cq-gecheng',
  amountFen: 1_200_000,
  approvedAt: '2026-03-10T02:00:00.000Z',
  claimBy: '2026-05-09T16:00:00.000Z',
  ...over,
});

describe('rewardStatistics', () => {
  const query = {
    jurisdictions: ['cq-gecheng', 'cq-beishan'],
    from: '2026-01',
    to: '2026-12',
    now: new Date('2026-11-24T02:00:00.000Z'),
  };

  it('counts offered, claimed, paid and lapsed by the month each happened', () => {
    const stats = rewardStatistics(
      [
        entry({
          claimedAt: '2026-03-20T02:00:00.000Z',
          paidOn: '2026-04-01',
          noticeDueBy: '2026-03-23T16:00:00.000Z', // approved in time
        }),
        // Past its deadline unclaimed: lapsed, recorded or not.
        // Approved after its notice deadline: told late.
        entry({ amountFen: 300_000, noticeDueBy: '2026-03-09T16:00:00.000Z' }),
        entry({
          jurisdiction: 'cq-beishan',
          amountFen: 500_000,
          lapsedAt: '2026-05-09T16:00:00.000Z',
        }),
        // Approved this month, still open.
        entry({
          amountFen: 700_000,
          approvedAt: '2026-11-20T02:00:00.000Z',
          claimBy: '2027-01-19T16:00:00.000Z',
        }),
        // Another jurisdiction, not asked for.
        entry({ jurisdiction: 'sd-jinan' }),
      ],
      query,
    );
    expect(stats.totals).toEqual({
      offered: { count: 4, fen: 2_700_000 },
      noticedLate: { count: 1, fen: 300_000 },
      claimed: { count: 1, fen: 1_200_000 },
      paid: { count: 1, fen: 1_200_000 },
      lapsed: { count: 2, fen: 800_000 },
      open: { count: 1, fen: 700_000 },
    });
    expect(stats.regions.map((row) => [row.jurisdiction, row.lapsed.fen])).toEqual([
      ['cq-gecheng', 300_000],
      ['cq-beishan', 500_000],
    ]);
  });

  it('leaves out what happened outside the period, but counts what is open now', () => {
    const stats = rewardStatistics(
      [
        entry({ approvedAt: '2025-12-20T02:00:00.000Z', claimBy: '2026-02-18T16:00:00.000Z' }),
        entry({ approvedAt: '2026-11-20T02:00:00.000Z', claimBy: '2027-01-19T16:00:00.000Z' }),
      ],
      { ...query, from: '2026-06' },
    );
    expect(stats.totals.offered.count).toBe(1);
    expect(stats.totals.lapsed.count).toBe(0); // lapsed in February, before the period
    expect(stats.totals.open.count).toBe(1);
  });
});
