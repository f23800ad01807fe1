import * as z from 'zod/mini';
import { code, withMeta } from '../api/validation.ts';
import type { CaseOutcome } from '../rewards/reward-policy.ts';
import { defaultClaimReminderPolicy } from './claim-deadline.ts';
import type { ClaimMethod, RewardShare } from './reward-claim-state.ts';
import { ownShareFen, type TipStatus } from './tip-state.ts';

/**
 * The reward officer's desk: substantiated tips whose case result is in and whose reward
 * is still to be computed, computed rewards still to be approved (by another reward
 * officer), claims to pay, and approved rewards unclaimed whose claim deadline is near.
 * Pure: the handler reads the inbox partitions and the approved rewards' index, this
 * decides what is work. Nothing of the tipster: the claim's method and time only (the
 * bank details and the claim code stay on the tip, opened there as an event).
 */

/** A reward can be worked on while a tip is substantiated, and after its feedback closed it. */
export const rewardDeskStatuses = ['substantiated', 'closed'] as const satisfies TipStatus[];

/** What the desk reads of a tip on the inbox index. */
export interface RewardDeskEntry {
  tipId: string;
  receivedAt: string;
  address: string;
  finding?: 'substantiated' | 'unsubstantiated';
  outcomeKind?: CaseOutcome['kind'];
  reward?: { amountFen: number; computedByName?: string; approvedBy?: string };
  /** The notice deadline the lifecycle keeps (reward-notice.ts), and its overdue mark. */
  noticeDueBy?: string;
  rewardNotice?: { reward_notice_overdue?: string };
}

export interface RewardItem {
  tipId: string;
  receivedAt: string;
  address: string;
  amountFen?: number;
  computedByName?: string;
  /** The last moment to tell the tipster (the approval is the notice). */
  noticeDueBy?: string;
  /** Past it, whether or not the lifecycle has recorded the mark yet. */
  noticeOverdue?: boolean;
}

/** At most this many of each list go to the desk; the counts are whole. */
export const rewardDeskItems = 50;

/**
 * Rewards to compute and to approve, the most urgent first: by notice deadline (overdue
 * ones first, as theirs is past), then those without one (older records), oldest first.
 */
export function rewardWork(
  entries: readonly RewardDeskEntry[],
  now: Date,
): {
  toCompute: { count: number; items: RewardItem[] };
  toApprove: { count: number; items: RewardItem[] };
} {
  const dueBy = (entry: RewardDeskEntry) => entry.noticeDueBy ?? '\uffff';
  const mostUrgent = [...entries].sort(
    (a, b) => dueBy(a).localeCompare(dueBy(b)) || a.receivedAt.localeCompare(b.receivedAt),
  );
  const item = (entry: RewardDeskEntry): RewardItem => {
    const { noticeDueBy, rewardNotice } = entry;
    return {
      tipId: entry.tipId,
      receivedAt: entry.receivedAt,
      address: entry.address,
      ...(entry.reward ? { amountFen: entry.reward.amountFen } : {}),
      ...(entry.reward?.computedByName ? { computedByName: entry.reward.computedByName } : {}),
      ...(noticeDueBy
        ? {
            noticeDueBy,
            noticeOverdue:
              Boolean(rewardNotice?.reward_notice_overdue) ||
              now.getTime() >= Date.parse(noticeDueBy),
          }
        : {}),
    };
  };
  // "Nothing found" earns no reward: not work for anyone.
  const toCompute = mostUrgent.filter(
    (entry) =>
      entry.finding === 'substantiated' &&
      entry.outcomeKind &&
      entry.outcomeKind !== 'nothing_found' &&
      !entry.reward,
  );
  const toApprove = mostUrgent.filter((entry) => entry.reward && !entry.reward.approvedBy);
  const listed = (list: RewardDeskEntry[]) => ({
    count: list.length,
    items: list.slice(0, rewardDeskItems).map(item),
  });
  return { toCompute: listed(toCompute), toApprove: listed(toApprove) };
}

/**
 * What the desk reads of an approved reward (REWARDS#<jurisdiction>, the money
 * statistics' index): every tip with an approved reward, joint tipsters' merged tips too,
 * which the inbox partitions the desk reads for computing do not hold.
 */
export interface RewardClaimDeskEntry {
  tipId: string;
  receivedAt: string;
  address: string;
  reward: {
    amountFen: number;
    shares?: RewardShare[];
    approvedAt?: string;
    claimBy?: string;
    claim?: { method: ClaimMethod; claimedAt: string };
    payment?: { paidOn: string };
    lapsedAt?: string;
  };
}

export interface RewardClaimItem {
  tipId: string;
  receivedAt: string;
  address: string;
  /** The tip's own share (joint tipsters: each tip is paid its share). */
  amountFen: number;
  claimMethod?: ClaimMethod;
  claimedAt?: string;
  claimBy?: string;
}

/** "Deadline near": as many days as the tipster's claim reminder is sent before it. */
export const claimDeadlineNearDays = defaultClaimReminderPolicy.daysBefore;

const dayMs = 24 * 3600 * 1000;

/**
 * Claims to pay (claimed, not paid; oldest claim first) and rewards approved but not
 * claimed whose deadline falls within `claimDeadlineNearDays` of now (nearest first; one
 * past its deadline has lapsed, whether or not the lapse is recorded yet).
 */
export function rewardClaimWork(
  entries: readonly RewardClaimDeskEntry[],
  now: Date,
): {
  claimsToPay: { count: number; items: RewardClaimItem[] };
  deadlineNear: { count: number; withinDays: number; items: RewardClaimItem[] };
} {
  const owed = entries
    .filter(({ reward }) => reward.approvedAt && !reward.payment)
    .map((entry) => ({ entry, amountFen: ownShareFen(entry) }))
    .filter(({ amountFen }) => amountFen > 0);
  const item = ({ entry, amountFen }: (typeof owed)[number]): RewardClaimItem => ({
    tipId: entry.tipId,
    receivedAt: entry.receivedAt,
    address: entry.address,
    amountFen,
    ...(entry.reward.claim
      ? { claimMethod: entry.reward.claim.method, claimedAt: entry.reward.claim.claimedAt }
      : {}),
    ...(entry.reward.claimBy ? { claimBy: entry.reward.claimBy } : {}),
  });
  const claimed = owed
    .filter(({ entry }) => entry.reward.claim)
    .map(item)
    .sort((a, b) => (a.claimedAt ?? '').localeCompare(b.claimedAt ?? ''));
  const horizon = now.getTime() + claimDeadlineNearDays * dayMs;
  const near = owed
    .filter(({ entry: { reward } }) => {
      const by = reward.claimBy ? Date.parse(reward.claimBy) : Number.NaN;
      return !reward.claim && !reward.lapsedAt && by > now.getTime() && by <= horizon;
    })
    .map(item)
    .sort((a, b) => (a.claimBy ?? '').localeCompare(b.claimBy ?? ''));
  return {
    claimsToPay: { count: claimed.length, items: claimed.slice(0, rewardDeskItems) },
    deadlineNear: {
      count: near.length,
      withinDays: claimDeadlineNearDays,
      items: near.slice(0, rewardDeskItems),
    },
  };
}

export const rewardDeskQuerySchema = z.object({ jurisdiction: code('cq-gecheng') });

const rewardItemSchema = z.object({
  tipId: z.string(),
  receivedAt: z.string(),
  address: z.string(),
  amountFen: z.optional(z.number().check(z.int(), z.nonnegative())),
  computedByName: z.optional(z.string()),
  noticeDueBy: z.optional(z.string()),
  noticeOverdue: z.optional(z.boolean()),
});
const count = z.number().check(z.int(), z.nonnegative());
const rewardListSchema = z.object({ count, items: z.array(rewardItemSchema) });
const rewardClaimItemSchema = z.object({
  tipId: z.string(),
  receivedAt: z.string(),
  address: z.string(),
  amountFen: z.number().check(z.int(), z.nonnegative()),
  claimMethod: z.optional(z.enum(['in_person', 'bank_transfer'])),
  claimedAt: z.optional(z.string()),
  claimBy: z.optional(z.string()),
});

export const rewardDeskSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    asOf: z.string(),
    toCompute: rewardListSchema,
    toApprove: rewardListSchema,
    claimsToPay: z.object({ count, items: z.array(rewardClaimItemSchema) }),
    deadlineNear: z.object({
      count,
      withinDays: z.number().check(z.int(), z.nonnegative()),
      items: z.array(rewardClaimItemSchema),
    }),
  }),
  {
    id: 'RewardDesk',
    description:
      "The reward officer's desk: substantiated tips with a case result and no reward yet, " +
      'computed rewards not yet approved (both by notice deadline, overdue first: ' +
      '`noticeDueBy`, `noticeOverdue`), claims not yet paid (oldest first), and approved ' +
      'rewards unclaimed whose claim deadline is within `withinDays` days (nearest first); ' +
      `at most ${rewardDeskItems} of each, the counts whole. Nothing that names the tipster.`,
  },
);
