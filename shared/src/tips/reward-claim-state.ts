/**
 * What a reward's claim adds to a tip: its events and its state (the rules are in
 * reward-claim.ts; tip-state.ts holds these without importing the rules).
 */
export type ClaimMethod = 'in_person' | 'bank_transfer';

export interface BankDetails {
  accountName: string;
  bankName: string;
  accountNumber: string;
}

export type RewardClaimEvent =
  | {
      type: 'reward_claimed';
      data:
        | { method: 'in_person'; claimCodeHash: string }
        | { method: 'bank_transfer'; bankSealed: string };
    }
  /**
   * The lifecycle's reminder, some days before the claim deadline (claim-deadline.ts):
   * recorded once; `messaged` when the tipster left a phone to send it to (older records:
   * false, when no path reached the sealed phone).
   */
  | {
      type: 'reward_claim_reminder_recorded';
      data: { dueAt: string; claimBy: string; late: boolean; messaged: boolean };
    }
  /** The reminder handed to the notifier (sent once by its key): recorded once. */
  | { type: 'reward_claim_reminder_sent'; data: Record<string, never> }
  /** The claim deadline passed unclaimed: recorded once, by the system. */
  | { type: 'reward_lapsed'; data: { claimBy: string } }
  /** A reward officer read the sealed bank details: who and when stay on the tip. */
  | { type: 'payment_details_opened'; data: Record<string, never> }
  | {
      type: 'payment_recorded';
      data: { paidOn: string; voucherNumber: string; claimCodeHash?: string };
    };

/** One joint tipster's share of a reward: the tip they sent, and the fen due to it. */
export interface RewardShare {
  tipId: string;
  amountFen: number;
}

export interface RewardClaimState {
  /** 24:00 CST of the last day the tipster was to be told (from the verification result). */
  noticeDueBy?: string;
  /** 24:00 CST of the last day to claim (from the approval, which is the notice). */
  claimBy?: string;
  claim?: {
    method: ClaimMethod;
    claimedAt: string;
    claimCodeHash?: string;
    bankSealed?: string;
  };
  /** The lifecycle's reminder before the claim deadline, once recorded. */
  claimReminder?: {
    at: string;
    dueAt: string;
    claimBy: string;
    late: boolean;
    messaged: boolean;
    /** When it was handed to the notifier, for a tipster's phone. */
    sentAt?: string;
  };
  lapsedAt?: string;
  detailsOpened?: { by: string; name?: string; at: string }[];
  payment?: {
    paidOn: string;
    voucherNumber: string;
    recordedBy: string;
    recordedByName?: string;
    recordedAt: string;
  };
}

/**
 * The notice deadline kept by the tip's lifecycle (reward-notice.ts): while a reward is
 * due and not approved, a reminder to the jurisdiction's reward officers some days before
 * the deadline, then the deadline itself. Each recorded once, by the system.
 */
export type RewardNoticeEvent =
  | {
      type: 'reward_notice_reminder_recorded';
      data: { dueAt: string; noticeDueBy: string; late: boolean };
    }
  /** The reminder handed to the notifier for the reward officers (sent once by its key). */
  | { type: 'reward_notice_reminder_sent'; data: Record<string, never> }
  /** The notice deadline passed with no reward approved: recorded once. */
  | { type: 'reward_notice_overdue'; data: { noticeDueBy: string } };

/**
 * When each of the notice deadline's events was recorded, by its type: flat and keyed so,
 * as the tip projection is in every handler that writes a tip (the events hold the rest).
 */
export type RewardNoticeState = Partial<Record<RewardNoticeEvent['type'], string>>;
