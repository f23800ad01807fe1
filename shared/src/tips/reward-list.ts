import * as z from 'zod/mini';
import { code, withMeta } from '../api/validation.ts';
import type { AccidentGrade, CaseOutcome } from '../rewards/reward-policy.ts';
import type { ClaimMethod } from './reward-claim-state.ts';
import type { RewardClaimDeskEntry } from './reward-desk.ts';
import { ownShareFen, type TipStatus } from './tip-state.ts';

/**
 * The reward officer's list of the tips that concern rewards in a jurisdiction: a case
 * result that may earn one (fine, concealed accident) and every reward computed, approved,
 * claimed, paid or lapsed, each with where it stands. Read from the inbox partitions a
 * reward is worked in (substantiated, closed) and the approved rewards' partition, which
 * also holds joint tipsters' merged tips: never a Scan. Pure: the adapter reads, this
 * decides. Nothing of the tipster (RULES.md, "Who is who"): no words, no excerpt, no
 * claim code or bank details, only the claim's method and dates.
 */

/** The inbox statuses a reward is worked in (a merged joint tip comes from the approved). */
export const rewardListStatuses = ['substantiated', 'closed'] as const satisfies TipStatus[];

/** What the list reads of a tip, on either index. */
export interface RewardListEntry {
  tipId: string;
  receivedAt: string;
  address: string;
  enterprise?: string;
  finding?: 'substantiated' | 'unsubstantiated';
  outcome?: Pick<CaseOutcome, 'kind'> &
    Partial<Record<'fineYuan' | 'deaths', number>> & { accidentGrade?: AccidentGrade };
  /** As the desk reads an approved reward; here also before its approval. */
  reward?: RewardClaimDeskEntry['reward'];
}

export const rewardStandings = [
  'to_compute',
  'to_approve',
  'approved',
  'claimed',
  'paid',
  'lapsed',
] as const;
export type RewardStanding = (typeof rewardStandings)[number];

export interface RewardListItem {
  tipId: string;
  receivedAt: string;
  address: string;
  enterprise?: string;
  standing: RewardStanding;
  outcomeKind?: CaseOutcome['kind'];
  fineYuan?: number;
  deaths?: number;
  accidentGrade?: AccidentGrade;
  /** The tip's own share (joint tipsters: each tip is paid its own). */
  amountFen?: number;
  claimMethod?: ClaimMethod;
  claimBy?: string;
  paidOn?: string;
}

/** At most this many, newest first: the count is whole. */
export const rewardListItems = 200;

function standingOf(entry: RewardListEntry, now: Date): RewardStanding | null {
  const { reward } = entry;
  if (!reward) {
    // "Nothing found" earns no reward, nor does a tip without a case result yet.
    const earns = entry.outcome && entry.outcome.kind !== 'nothing_found';
    return entry.finding === 'substantiated' && earns ? 'to_compute' : null;
  }
  if (!reward.approvedAt) return 'to_approve';
  if (reward.payment) return 'paid';
  if (reward.claim) return 'claimed';
  // Past its deadline unclaimed, it has lapsed whether or not the lapse is recorded yet.
  const pastDeadline = reward.claimBy && Date.parse(reward.claimBy) <= now.getTime();
  return reward.lapsedAt || pastDeadline ? 'lapsed' : 'approved';
}

export function rewardList(
  entries: readonly RewardListEntry[],
  now: Date,
): { count: number; items: RewardListItem[] } {
  // A tip read from both indexes (substantiated and approved) is listed once.
  const unique = new Map(entries.map((entry) => [entry.tipId, entry]));
  const items: RewardListItem[] = [];
  for (const entry of unique.values()) {
    const standing = standingOf(entry, now);
    if (!standing) continue;
    const { reward, outcome } = entry;
    const amountFen = reward ? ownShareFen({ tipId: entry.tipId, reward }) : undefined;
    items.push({
      tipId: entry.tipId,
      receivedAt: entry.receivedAt,
      address: entry.address,
      ...(entry.enterprise ? { enterprise: entry.enterprise } : {}),
      standing,
      ...(outcome ? { outcomeKind: outcome.kind } : {}),
      ...(outcome?.fineYuan !== undefined ? { fineYuan: outcome.fineYuan } : {}),
      ...(outcome?.deaths !== undefined ? { deaths: outcome.deaths } : {}),
      ...(outcome?.accidentGrade ? { accidentGrade: outcome.accidentGrade } : {}),
      ...(amountFen !== undefined ? { amountFen } : {}),
      ...(reward?.claim ? { claimMethod: reward.claim.method } : {}),
      ...(reward?.claimBy ? { claimBy: reward.claimBy } : {}),
      ...(reward?.payment ? { paidOn: reward.payment.paidOn } : {}),
    });
  }
  items.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || a.tipId.localeCompare(b.tipId));
  return { count: items.length, items: items.slice(0, rewardListItems) };
}

export const rewardListQuerySchema = z.object({ jurisdiction: code('cq-gecheng') });

const whole = z.number().check(z.int(), z.nonnegative());
export const rewardListSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    asOf: z.string(),
    count: whole,
    items: z.array(
      z.object({
        tipId: z.string(),
        receivedAt: z.string(),
        address: z.string(),
        enterprise: z.optional(z.string()),
        standing: z.enum(rewardStandings),
        outcomeKind: z.optional(z.enum(['fine_imposed', 'accident_concealed', 'nothing_found'])),
        fineYuan: z.optional(whole),
        deaths: z.optional(whole),
        accidentGrade: z.optional(z.enum(['general', 'larger', 'major', 'especially_major'])),
        amountFen: z.optional(whole),
        claimMethod: z.optional(z.enum(['in_person', 'bank_transfer'])),
        claimBy: z.optional(z.string()),
        paidOn: z.optional(z.string()),
      }),
    ),
  }),
  {
    id: 'RewardList',
    description:
      'The tips of a jurisdiction that concern rewards, newest first: a case result that ' +
      'may earn one, or a reward to approve, approved, claimed, paid or lapsed (`standing`). ' +
      `At most ${rewardListItems}, the count whole. Nothing that names the tipster: no ` +
      "words, no excerpt, no claim code or bank details; the claim's method only.",
  },
);
