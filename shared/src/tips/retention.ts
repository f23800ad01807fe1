import type { SealedField, TipState } from './tip-state.ts';

/**
 * How long a tip keeps the tipster's sealed personal data (DESIGN.md: retention periods are
 * policy data and a scheduled sweep applies them). Tipsters are anonymous; what identifies
 * them is sealed: the phone left for a reward (reminders) and the bank details given with
 * a claim (payment). Once the tip's reward matter is over these serve nobody and are only
 * a risk, so they are erased a jurisdiction's `sealedDataDays` after it ended. Pure.
 */
export interface RetentionPolicy {
  /** Days the sealed phone and bank details are kept after the reward matter ended. */
  sealedDataDays: number;
}

/**
 * 180 days: the longest time the tipster (or the office) may still act on the reward
 * matter once it is decided. A tipster may contest a payment, a lapse or a refusal by
 * administrative reconsideration within 60 days (行政复议法 第二十条) or by suit within six
 * months (行政诉讼法 第四十六条), and the office may need to reach them or re-pay in that
 * time. After it, nothing is left to do with either value.
 */
export const defaultRetention: RetentionPolicy = { sealedDataDays: 180 };

export const retentionLimits = { minDays: 30, maxDays: 3650 } as const;

const dayMs = 24 * 3600 * 1000;

/** The sealed values a tip's state still holds. */
export const sealedFieldsOf = (state: TipState): SealedField[] =>
  (['contact', 'bank'] as const).filter((_, index) =>
    index ? state.reward?.claim?.bankSealed : state.contactSealed,
  );

/**
 * When the tip's reward matter ended, or undefined while it may still need the tipster:
 * - a reward computed for it: when paid, or when it lapsed unclaimed; until then it runs
 *   (approved, claimed, unpaid);
 * - none: when the tip was refused or referred (no reward possible), merged (a joint
 *   tipster's share, if one is granted later, is claimed with the receipt; the share's own
 *   payment or lapse then ends it), or closed as unsubstantiated, or closed substantiated
 *   for a tipster who wanted no reward. A substantiated tip closed for one who wants a
 *   reward waits for it: the case's result (and so the reward) may come later.
 */
export function rewardMatterEndedAt(state: TipState): string | undefined {
  const { reward, status } = state;
  if (reward) return reward.payment?.recordedAt ?? reward.lapsedAt;
  if (status === 'closed') {
    return state.finding === 'unsubstantiated' || !state.wantsReward ? state.closedAt : undefined;
  }
  return ['refused', 'referred', 'merged'].includes(status)
    ? state.timeline.findLast((entry) => entry.status === status)?.at
    : undefined;
}

/** When the tip's sealed data are due for erasure under the policy, if they are to be. */
export function sealedDataDueAt(state: TipState, policy: RetentionPolicy): Date | undefined {
  if (!sealedFieldsOf(state).length) return undefined;
  const ended = rewardMatterEndedAt(state);
  return ended ? new Date(Date.parse(ended) + policy.sealedDataDays * dayMs) : undefined;
}

/** The sweep's index partition (gsi3 on tip state items): a jurisdiction's tips to erase. */
export const sealedDataPartition = (jurisdiction: string) => `SEALED#${jurisdiction}`;

/**
 * The index attributes of a tip's state: present while it holds sealed data and its reward
 * matter has ended, sorted by when it ended, so the sweep Queries the tips ended before
 * `now − days` (the days as in force at the sweep, not at the end). Gone once erased.
 */
export function sealedDataIndex(state: TipState): { gsi3pk?: string; gsi3sk?: string } {
  const ended = sealedFieldsOf(state)[0] && rewardMatterEndedAt(state);
  return ended
    ? { gsi3pk: sealedDataPartition(state.jurisdiction), gsi3sk: `${ended}#${state.tipId}` }
    : {};
}

/** The index's sort key below which tips are due now (their matter ended before the cutoff). */
export function sealedDataCutoff(now: Date, policy: RetentionPolicy): string {
  return new Date(now.getTime() - policy.sealedDataDays * dayMs).toISOString();
}
