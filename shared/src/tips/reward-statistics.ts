import { cstDate } from '../calendar/calendar.ts';
import { ownShareFen, type TipState } from './tip-state.ts';

/**
 * Money in the statistics (issue 16): rewards offered (approved), claimed, paid and lapsed,
 * by jurisdiction and period. Read from an index partition of approved rewards per
 * jurisdiction (REWARDS#<jurisdiction> on gsi2, written beside the tip's state once its
 * reward is approved): bounded by the rewards, which are few (a reward needs a
 * substantiated tip with a case result), never by the tips. Pure: the adapter reads the
 * partitions, this adds them up. Amounts only: nothing that names a tip or a tipster.
 */
export const rewardIndexPartition = (jurisdiction: string) => `REWARDS#${jurisdiction}`;

/** What the statistics read of an approved reward. */
export interface RewardEntry {
  jurisdiction: string;
  amountFen: number;
  approvedAt: string;
  claimBy?: string;
  claimedAt?: string;
  /** The CST date paid, as the reward officer recorded it. */
  paidOn?: string;
  lapsedAt?: string;
  /** The last moment to tell the tipster (the approval is the notice). */
  noticeDueBy?: string | undefined;
}

export function rewardEntryOf(state: TipState): RewardEntry | null {
  const reward = state.reward;
  // Joint tipsters: each tip counts its own share, so the shares add up to the reward once.
  const amountFen = ownShareFen(state);
  if (!reward?.approvedAt || amountFen <= 0) return null;
  return {
    jurisdiction: state.jurisdiction,
    amountFen,
    approvedAt: reward.approvedAt,
    ...(reward.claimBy ? { claimBy: reward.claimBy } : {}),
    ...(reward.claim ? { claimedAt: reward.claim.claimedAt } : {}),
    ...(reward.payment ? { paidOn: reward.payment.paidOn } : {}),
    ...(reward.lapsedAt ? { lapsedAt: reward.lapsedAt } : {}),
    noticeDueBy: reward.noticeDueBy,
  };
}

export interface Money {
  count: number;
  fen: number;
}

export interface RewardRow {
  /** Approved in the period. */
  offered: Money;
  /** Of those offered in the period, the ones whose approval (the notice) came late. */
  noticedLate: Money;
  /** Claimed by the tipster in the period. */
  claimed: Money;
  /** Paid in the period (by the date paid). */
  paid: Money;
  /** Lapsed in the period: the claim deadline's last day fell in it, unclaimed. */
  lapsed: Money;
  /** Now, whatever the period: approved, neither claimed nor lapsed. */
  open: Money;
}

export interface RewardStatistics {
  totals: RewardRow;
  regions: (RewardRow & { jurisdiction: string })[];
}

const none = (): Money => ({ count: 0, fen: 0 });
const emptyRow = (): RewardRow => ({
  offered: none(),
  noticedLate: none(),
  claimed: none(),
  paid: none(),
  lapsed: none(),
  open: none(),
});

/** The CST month of an instant. */
const monthOf = (instant: string) => cstDate(new Date(instant)).slice(0, 7);

/**
 * Adds up the rewards of these jurisdictions in the months from `from` to `to` (CST,
 * inclusive). A reward past its deadline unclaimed counts as lapsed (its last day's month)
 * whether or not the lapse is recorded yet.
 */
export function rewardStatistics(
  entries: readonly RewardEntry[],
  query: { jurisdictions: readonly string[]; from: string; to: string; now: Date },
): RewardStatistics {
  const inPeriod = (month: string) => month >= query.from && month <= query.to;
  const totals = emptyRow();
  const regions = new Map(query.jurisdictions.map((code) => [code, emptyRow()]));
  for (const entry of entries) {
    const region = regions.get(entry.jurisdiction);
    if (!region) continue;
    const add = (key: keyof RewardRow) => {
      for (const row of [totals, region]) {
        row[key].count += 1;
        row[key].fen += entry.amountFen;
      }
    };
    if (inPeriod(monthOf(entry.approvedAt))) {
      add('offered');
      if (entry.approvedAt >= (entry.noticeDueBy ?? '~')) add('noticedLate');
    }
    if (entry.claimedAt && inPeriod(monthOf(entry.claimedAt))) add('claimed');
    if (entry.paidOn && inPeriod(entry.paidOn.slice(0, 7))) add('paid');
    const lapsed =
      !entry.claimedAt &&
      (entry.lapsedAt || (entry.claimBy && Date.parse(entry.claimBy) <= query.now.getTime()));
    if (lapsed && entry.claimBy) {
      // The last day to claim is the day before the deadline's 24:00.
      if (inPeriod(monthOf(new Date(Date.parse(entry.claimBy) - 1).toISOString()))) add('lapsed');
    } else if (!entry.claimedAt && !lapsed) add('open');
  }
  return {
    totals,
    regions: [...regions].map(([jurisdiction, row]) => ({ jurisdiction, ...row })),
  };
}
