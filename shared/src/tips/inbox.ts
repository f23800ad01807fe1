import type { RewardClaimDeskEntry, RewardDeskEntry } from './reward-desk.ts';
import type { RewardListEntry } from './reward-list.ts';
import type { TipState, TipStatus } from './tip-state.ts';

/** Port: the office inbox, a jurisdiction's tips by status, newest first, from an index. */
export interface TipInbox {
  list(query: {
    jurisdiction: string;
    status: TipStatus;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ items: TipState[]; nextCursor?: string }>;
  /** How many tips are listed under a status (counted by the index, no tip read). */
  count(query: { jurisdiction: string; status: TipStatus }): Promise<number>;
  /**
   * Every tip listed under a status, as the reward desk reads it (case result and reward
   * only): the whole partition, page by page, with nothing else projected.
   */
  rewardEntries(query: { jurisdiction: string; status: TipStatus }): Promise<RewardDeskEntry[]>;
  /**
   * A jurisdiction's approved rewards neither paid nor lapsed, as the reward desk reads
   * them for claims (amount, shares, deadline, the claim's method and time): every tip
   * with one, joint tipsters' merged tips included.
   */
  rewardClaimEntries(query: { jurisdiction: string }): Promise<RewardClaimDeskEntry[]>;
  /**
   * The rewards list's reading (reward-list.ts): a jurisdiction's tips under a status, or
   * (`approved`) every tip with an approved reward, paid and lapsed ones included; the
   * matter, case result and reward only, never the tipster's words or the claim's secrets.
   */
  rewardListEntries(query: {
    jurisdiction: string;
    from: TipStatus | 'approved';
  }): Promise<RewardListEntry[]>;
  /**
   * The newest tips of a place partition (duplicates.ts: gsi4 by enterprise, gsi5 by
   * address), at most `limit`: a bounded Query, however many tips the jurisdiction has.
   */
  samePlace(query: {
    index: 'gsi4' | 'gsi5';
    partition: string;
    limit: number;
  }): Promise<TipState[]>;
}
