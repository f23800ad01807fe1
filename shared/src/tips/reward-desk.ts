import * as z from 'zod/mini';
import { code, withMeta } from '../api/validation.ts';
import type { CaseOutcome } from '../rewards/reward-policy.ts';
import type { TipStatus } from './tip-state.ts';

/**
 * The reward officer's desk: substantiated tips whose case result is in and whose reward
 * is still to be computed, and computed rewards still to be approved (by another reward
 * officer). Pure: the handler reads the inbox partitions, this decides what is work.
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
}

export interface RewardItem {
  tipId: string;
  receivedAt: string;
  address: string;
  amountFen?: number;
  computedByName?: string;
}

/** At most this many of each list go to the desk; the counts are whole. */
export const rewardDeskItems = 50;

export function rewardWork(entries: readonly RewardDeskEntry[]): {
  toCompute: { count: number; items: RewardItem[] };
  toApprove: { count: number; items: RewardItem[] };
} {
  const oldestFirst = [...entries].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  const item = (entry: RewardDeskEntry): RewardItem => ({
    tipId: entry.tipId,
    receivedAt: entry.receivedAt,
    address: entry.address,
    ...(entry.reward ? { amountFen: entry.reward.amountFen } : {}),
    ...(entry.reward?.computedByName ? { computedByName: entry.reward.computedByName } : {}),
  });
  // "Nothing found" earns no reward: not work for anyone.
  const toCompute = oldestFirst.filter(
    (entry) =>
      entry.finding === 'substantiated' &&
      entry.outcomeKind &&
      entry.outcomeKind !== 'nothing_found' &&
      !entry.reward,
  );
  const toApprove = oldestFirst.filter((entry) => entry.reward && !entry.reward.approvedBy);
  const listed = (list: RewardDeskEntry[]) => ({
    count: list.length,
    items: list.slice(0, rewardDeskItems).map(item),
  });
  return { toCompute: listed(toCompute), toApprove: listed(toApprove) };
}

export const rewardDeskQuerySchema = z.object({ jurisdiction: code('cq-gecheng') });

const rewardItemSchema = z.object({
  tipId: z.string(),
  receivedAt: z.string(),
  address: z.string(),
  amountFen: z.optional(z.number().check(z.int(), z.nonnegative())),
  computedByName: z.optional(z.string()),
});
const rewardListSchema = z.object({
  count: z.number().check(z.int(), z.nonnegative()),
  items: z.array(rewardItemSchema),
});

export const rewardDeskSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    asOf: z.string(),
    toCompute: rewardListSchema,
    toApprove: rewardListSchema,
  }),
  {
    id: 'RewardDesk',
    description:
      "The reward officer's desk: substantiated tips with a case result and no reward yet, " +
      `and computed rewards not yet approved; oldest first, at most ${rewardDeskItems} of each.`,
  },
);
