import type { Actor } from '../event-log/event-log.ts';
import type { Bilingual } from '../i18n/text.ts';
import type { CaseOutcome, RewardComputation, RewardPolicy } from '../rewards/reward-policy.ts';
import { tipLimits } from './limits.ts';
import type {
  RewardClaimEvent,
  RewardClaimState,
  RewardNoticeEvent,
  RewardNoticeState,
  RewardShare,
} from './reward-claim-state.ts';

/**
 * A tip's life as events on its log, and the state derived from them. Pure: no I/O.
 * The tipster is only ever the actor {kind: 'tipster', id: 'tipster'}: nothing that
 * could identify them is recorded.
 */
export const tipsterActor: Actor = { kind: 'tipster', id: 'tipster' };

export interface SharedLocation {
  latitude: number;
  longitude: number;
  accuracyMeters?: number;
  datum: 'WGS84';
}

export interface TipReceived {
  tipId: string;
  channel: 'web' | 'hotline' | 'letter' | 'visit';
  jurisdiction: string;
  unit?: string;
  industry: string;
  enterprise?: string;
  address: string;
  description: string;
  seenOn: string;
  isEmployee: boolean;
  wantsReward: boolean;
  /** Encrypted contact (ContactVault): readable by the reward officer's route alone. */
  contactSealed?: string;
  location?: SharedLocation;
  photoIds: string[];
  /** Digest of the submission: a retry with other content is refused, not merged. */
  contentDigest: string;
  acceptDeadline: string;
  /**
   * The lifecycle generation the receipt claims: the intake starts that execution itself,
   * so its first turn finds the tip claimed and writes no claim of its own. Absent (tips
   * received before, tests): generation 0, and the first execution claims as any other.
   */
  lifecycleGeneration?: number;
}

/** Why a tip may be refused (RULES.md, "Time limits on a tip"): the tipster sees the reason. */
export type RefusalReason =
  | 'duplicate'
  | 'no_target_or_facts'
  | 'opinion_or_request'
  | 'other_department';

export const refusalReasons: Record<RefusalReason, Bilingual> = {
  duplicate: {
    zh: '重复举报：同一事项的举报已经受理。',
    en: 'A repeat: a tip on the same matter has already been accepted.',
  },
  no_target_or_facts: {
    zh: '举报未指明具体对象或违法事实。',
    en: 'The tip names no target or facts.',
  },
  opinion_or_request: {
    zh: '所反映内容属于意见建议、信息公开申请或复查复核申请，不作为举报受理。',
    en: 'It is an opinion, an information-disclosure request or a review request, not a tip.',
  },
  other_department: {
    zh: '不属于本部门安全生产监管职责范围。',
    en: 'It belongs to another department.',
  },
};

export type TipFinding = 'substantiated' | 'unsubstantiated';

/** Why an uploaded photo was not kept: the tipster sees the reason beside the photo. */
export type PhotoRefusal = 'not_a_photo' | 'unreadable' | 'too_many_pixels';

export const maxPhotoPixels = tipLimits.photoPixels;

export const photoRefusalReasons: Record<PhotoRefusal, Bilingual> = {
  not_a_photo: {
    zh: '这不是照片：只接受 JPEG、PNG、WebP 或 HEIC 格式的图片。',
    en: 'This is not a photo: only JPEG, PNG, WebP or HEIC images are accepted.',
  },
  unreadable: {
    zh: '照片无法读取（文件可能不完整或已损坏），请重新选择后再发送。',
    en: 'The photo cannot be read (the file may be incomplete or damaged); choose it again and resend.',
  },
  too_many_pixels: {
    zh: `照片像素过多（最多 ${maxPhotoPixels / 1_000_000} 百万像素），请缩小后再发送。`,
    en: `The photo has too many pixels (at most ${maxPhotoPixels / 1_000_000} million); make it smaller and resend.`,
  },
};

/** Where each photo slot of a tip stands, as the tipster sees it. */
export type PhotoSlotStatus = 'waiting' | 'arrived' | 'refused';

/** The time limits that run on a tip, and the steps of each (time-limits.ts plans them). */
export type TipLimit = 'accept' | 'verify' | 'feedback';
export type TipLimitStep = 'reminder' | 'overdue';

export type TipEvent =
  | { type: 'tip_received'; data: TipReceived }
  | { type: 'photo_slots_opened'; data: { photoIds: string[] } }
  | { type: 'photo_added'; data: { photoId: string; key: string; location?: SharedLocation } }
  /** An upload that is not a readable photo: the slot is done, with the reason. */
  | { type: 'photo_refused'; data: { photoId: string; reason: PhotoRefusal } }
  | { type: 'question_asked'; data: { text: string } }
  | { type: 'tipster_replied'; data: { text: string; inReplyTo?: string } }
  /**
   * Accepted. `verifyDeadline` is the deadline the jurisdiction's limits gave when it was
   * accepted (a later change of policy does not move it); without it, the national default.
   */
  | { type: 'tip_accepted'; data: { verifyDeadline?: string } }
  | { type: 'tip_refused'; data: { reason: RefusalReason; note?: string } }
  | { type: 'tip_referred'; data: { department: string; note?: string } }
  | { type: 'tip_merged'; data: { intoTipId: string } }
  | { type: 'investigation_started'; data: Record<string, never> }
  /** The verification result; `feedbackDeadline` as for `verifyDeadline` above. */
  | {
      type: 'investigation_recorded';
      data: {
        finding: TipFinding;
        note: string;
        hazardId?: string;
        feedbackDeadline?: string;
        /**
         * The reward policy in force when the tip was substantiated: the one its reward is
         * computed by, whatever is edited later. Absent (older tips): the national rule.
         */
        rewardPolicy?: RewardPolicy;
      };
    }
  | {
      type: 'verification_extension_approved';
      data: { days: number; reason: string; approvedBy: string };
    }
  /** The result told to the tipster: closes the tip. */
  | { type: 'feedback_given'; data: { text: string } }
  /** A lifecycle execution takes the tip over: older generations can change nothing. */
  | { type: 'lifecycle_generation_started'; data: { generation: number } }
  | {
      type: 'time_limit_step_recorded';
      data: { limit: TipLimit; step: TipLimitStep; dueAt: string; late: boolean };
    }
  | { type: 'time_limit_step_delivered'; data: { key: string } }
  /** An attempt to deliver a step begins, on the tip as it was read (see recordThenDeliver). */
  | { type: 'time_limit_delivery_started'; data: { key: string; attempt: number } }
  /**
   * A recorded step that will never be delivered: its limit stopped running (the tip was
   * accepted, verified or answered, or reached a final status) before its delivery began.
   */
  | { type: 'time_limit_step_withdrawn'; data: { key: string; reason: 'limit_met' } }
  /** The case result on a substantiated tip (RULES.md, "Tips and rewards"). */
  | {
      type: 'outcome_recorded';
      data: {
        outcome: CaseOutcome;
        documentNumber: string;
        /**
         * The notice deadline by the tip's policy and the calendar of the day it was
         * recorded (reward-notice.ts). Absent (older records): computed when planned.
         */
        noticeDueBy?: string;
      };
    }
  /**
   * A reward officer's computation: the policy's amount, or an adjusted one with a reason.
   * `computedBy` is the officer: the one who approves must be someone else.
   */
  | {
      type: 'reward_computed';
      data: {
        computation: RewardComputation;
        amountFen: number;
        adjustmentReason?: string;
        computedBy: string;
      };
    }
  /**
   * Approval is the notice to the tipster: the claim deadline (and the notice's own, from
   * the verification result) is computed then, by the tip's policy, and kept here.
   */
  | {
      type: 'reward_approved';
      data: {
        amountFen: number;
        approvedBy: string;
        noticeDueBy?: string;
        claimBy?: string;
        /**
         * Joint tipsters (RULES.md: they share one reward): each tip's share, this tip's
         * first, splitReward's equal shares in fen summing exactly to `amountFen`.
         */
        shares?: RewardShare[];
      };
    }
  /**
   * The tips sent jointly with this one on the same matter (each merged into it): they
   * share its one reward. Replaces any earlier list; an empty list clears it.
   */
  | { type: 'joint_tipsters_recorded'; data: { tipIds: string[] } }
  /**
   * On a joint tip: its share of the reward approved on the tip it was merged into, with
   * that reward's deadlines. Its tipster claims it with their own receipt.
   */
  | {
      type: 'reward_share_granted';
      data: {
        fromTipId: string;
        amountFen: number;
        totalFen: number;
        shareCount: number;
        computation: RewardComputation;
        computedBy: string;
        approvedBy: string;
        approvedAt: string;
        noticeDueBy?: string;
        claimBy?: string;
      };
    }
  /**
   * On the tip whose reward was approved: every joint tip's share is on its own record
   * now. Written by the tip's lifecycle once the shares are (joint-tipsters.ts); until
   * then the lifecycle writes any share still missing, whatever crashed before.
   */
  | { type: 'reward_shares_granted'; data: { tipIds: string[] } }
  /** The tipster's claim, the lapse, the payment (reward-claim.ts). */
  | RewardClaimEvent
  /** The notice deadline's reminder and overdue mark (reward-notice.ts). */
  | RewardNoticeEvent
  /**
   * The tipster's sealed phone opened to deliver a message to it (the claim reminder):
   * logged before it is opened, by the delivering system. Nothing of the phone is kept.
   */
  | { type: 'tipster_contact_opened'; data: { purpose: 'claim_reminder' } }
  /**
   * The hazard recorded from this tip moved on: the tipster sees it on their timeline, and
   * the tip names the hazard (its finding may have been recorded before the hazard was;
   * events written before the hazard's id was added carry none).
   */
  | { type: 'hazard_progressed'; data: { stage: HazardStage; hazardId?: string } }
  /**
   * The retention sweep erased the tip's sealed personal data (retention.ts): which, and by
   * which rule (when the reward matter ended, the days kept after it); never the values.
   * Each sealed value on the log is replaced by its tombstone (hash version 2 keeps the
   * chain verifying), and the state keeps none.
   */
  | {
      type: 'contact_erased';
      data: { fields: SealedField[]; matterEndedAt: string; retentionDays: number };
    };

/** The sealed personal data a tip may hold: the phone left for a reward, bank details. */
export type SealedField = 'contact' | 'bank';

/** How far the hazard from a tip has come, as the tipster is told. */
export type HazardStage = 'recorded' | 'rectifying' | 'verifying' | 'closed';

export type TipEventType = TipEvent['type'];

export type TipStatus =
  | 'received'
  | 'accepted'
  | 'refused'
  | 'referred'
  | 'merged'
  | 'investigating'
  | 'substantiated'
  | 'unsubstantiated'
  | 'closed';

export interface TipMessage {
  messageId: string;
  at: string;
  from: 'office' | 'tipster';
  text: string;
  inReplyTo?: string;
  /** For office messages: the officer who asked (never shown to the tipster). */
  askedBy?: string;
}

export interface TipState
  extends Omit<TipReceived, 'photoIds' | 'contentDigest' | 'lifecycleGeneration'> {
  status: TipStatus;
  receivedAt: string;
  contentDigest: string;
  photoSlots: string[];
  photos: { photoId: string; key: string; location?: SharedLocation }[];
  /** Slots whose upload was refused; a slot is done once it has a photo or a refusal. */
  photoRefusals: { photoId: string; reason: PhotoRefusal }[];
  messages: TipMessage[];
  /** What the tipster sees of the tip's course: statuses and reasons meant for them only. */
  timeline: TipTimelineEntry[];
  acceptedAt?: string;
  /** 24:00 CST of the last day of verification; moved by the one extension. */
  verifyDeadline?: string;
  extensionUsed: boolean;
  extension?: { days: number; reason: string; approvedBy: string; at: string };
  investigationStartedAt?: string;
  /** When the verification result was recorded. */
  verifiedAt?: string;
  feedbackDeadline?: string;
  finding?: TipFinding;
  /** The officer's note on the finding: internal, never shown to the tipster. */
  findingNote?: string;
  /** The hazard recorded from a substantiated tip. */
  hazardId?: string;
  /** The reward policy in force when the tip was substantiated. */
  rewardPolicy?: RewardPolicy;
  /** The case result, with its document number (文书编号). */
  outcome?: CaseOutcome & {
    documentNumber: string;
    recordedAt: string;
    recordedBy: string;
    /** The notice deadline, written with the result (reward-notice.ts). */
    noticeDueBy?: string;
  };
  reward?: TipReward;
  /** The deadline to tell the tipster of a reward due, as the lifecycle keeps it. */
  rewardNotice?: RewardNoticeState;
  /** Tips sent jointly with this one (merged into it): they share its reward. */
  jointTipIds?: string[];
  /** When the retention sweep erased the sealed phone and bank details, and which it found. */
  sealedErased?: { at: string; fields: SealedField[] };
  /** Each opening of the sealed phone to deliver a message: when, by which system, why. */
  contactOpenings?: { at: string; by: string; purpose: 'claim_reminder' }[];
  refusal?: { reason: RefusalReason; note?: string };
  referredTo?: string;
  referralNote?: string;
  mergedInto?: string;
  feedback?: { text: string; at: string };
  closedAt?: string;
  /** Counts the decisions of people: what an officer saw is checked against it. */
  revision: number;
  /** The lifecycle execution's generation that owns the tip now. */
  generation: number;
  timeLimitSteps: TipTimeLimitStepEntry[];
}

/**
 * The reward computed for a tip, then approved by another reward officer; then claimed by
 * the tipster and paid (its claim deadlines and claim: RewardClaimState).
 */
export interface TipReward extends RewardClaimState {
  /** What was computed by the policy, with the rule and figures. */
  computation: RewardComputation;
  /** The amount to pay, in fen: the computed one, or an adjusted one. */
  amountFen: number;
  adjustmentReason?: string;
  computedBy: string;
  /** The people's names, as the office reads them (the ids are what the rules compare). */
  computedByName?: string;
  computedAt: string;
  approvedBy?: string;
  approvedByName?: string;
  approvedAt?: string;
  /** Joint tipsters: every tip's share (this tip's first), fixed at the approval. */
  shares?: RewardShare[];
  /** When every joint tip's share was found written on its own record. */
  sharesGrantedAt?: string;
  /** On a joint tip: the reward it has a share of. `amountFen` is then this tip's share. */
  jointShareOf?: { tipId: string; totalFen: number; shareCount: number };
}

/** What this tip's own tipster is due: their share when joint, else the whole reward. */
export function ownShareFen(state: {
  tipId: string;
  reward?: Pick<TipReward, 'amountFen' | 'shares'> | undefined;
}): number {
  const reward = state.reward;
  if (!reward) return 0;
  return reward.shares?.find((share) => share.tipId === state.tipId)?.amountFen ?? reward.amountFen;
}

export interface TipTimelineEntry {
  at: string;
  status: TipStatus;
  reason?: Bilingual;
  /** For the hazard recorded from the tip: how far its rectification has come. */
  hazardStage?: HazardStage;
}

export interface TipTimeLimitStepEntry {
  key: string;
  limit: TipLimit;
  step: TipLimitStep;
  at: string;
  late: boolean;
  delivered: boolean;
  /** Withdrawn undelivered: its limit stopped running first. */
  withdrawn?: boolean;
  /** Attempts to deliver it that have begun. */
  deliveryAttempts?: number;
}

/** The statuses after which nothing more happens to a tip. */
export const finalTipStatuses: readonly TipStatus[] = ['refused', 'referred', 'merged', 'closed'];

export const tipStream = (tipId: string) => `TIP#${tipId}`;

/** The inbox's index partition (gsi1): a jurisdiction's tips under a status. */
export const tipInboxPartition = (jurisdiction: string, status: TipStatus) =>
  `TIPS#${jurisdiction}#${status}`;

/** Questions from the office not yet answered by the tipster. */
export function openQuestions(state: TipState): number {
  const answered = new Set(
    state.messages.flatMap((message) => (message.inReplyTo ? [message.inReplyTo] : [])),
  );
  return state.messages.filter(
    (message) => message.from === 'office' && !answered.has(message.messageId),
  ).length;
}

/** The first upload to a slot is final: a photo kept, or refused with a reason. */
export function photoSlotStatus(state: TipState, photoId: string): PhotoSlotStatus {
  if (state.photos.some((photo) => photo.photoId === photoId)) return 'arrived';
  return (state.photoRefusals ?? []).some((refusal) => refusal.photoId === photoId)
    ? 'refused'
    : 'waiting';
}

/** Slots still waiting for their upload: a retried submission gets forms for these only. */
export const waitingPhotoSlots = (state: TipState): string[] =>
  state.photoSlots.filter((photoId) => photoSlotStatus(state, photoId) === 'waiting');
