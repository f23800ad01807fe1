import { cstDate, seedCalendar } from '../calendar/calendar.ts';
import type { Actor, RecordedEvent } from '../event-log/event-log.ts';
import type { Projection } from '../event-log/event-store.ts';
import type { Bilingual } from '../i18n/text.ts';
import {
  type CaseOutcome,
  computeReward,
  nationalRewardPolicy,
  type RewardComputation,
  type RewardPolicy,
} from '../rewards/reward-policy.ts';
import { tipLimits } from './limits.ts';
import {
  defaultTipTimeLimits,
  runningLimit,
  type TipLimit,
  type TipLimitStep,
  type TipTimeLimits,
  tipDeadline,
} from './time-limits.ts';

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
  | { type: 'outcome_recorded'; data: { outcome: CaseOutcome; documentNumber: string } }
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
  | { type: 'reward_approved'; data: { amountFen: number; approvedBy: string } }
  /** The hazard recorded from this tip moved on: the tipster sees it on their timeline. */
  | { type: 'hazard_progressed'; data: { stage: HazardStage } };

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
  outcome?: CaseOutcome & { documentNumber: string; recordedAt: string; recordedBy: string };
  reward?: TipReward;
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

/** The reward computed for a tip, then approved by another reward officer. */
export interface TipReward {
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

export class TipRuleViolation extends Error {
  readonly text: Bilingual;
  constructor(text: Bilingual) {
    super(text.en);
    this.text = text;
  }
}

const violation = (zh: string, en: string) => new TipRuleViolation({ zh, en });

const allowedIn: Record<TipEventType, readonly TipStatus[] | 'any'> = {
  tip_received: [],
  photo_slots_opened: 'any',
  photo_added: 'any',
  photo_refused: 'any',
  question_asked: 'any',
  tipster_replied: 'any',
  tip_accepted: ['received'],
  tip_refused: ['received'],
  tip_referred: ['received'],
  tip_merged: ['received'],
  investigation_started: ['accepted'],
  investigation_recorded: ['investigating'],
  verification_extension_approved: ['accepted', 'investigating'],
  feedback_given: ['substantiated', 'unsubstantiated'],
  lifecycle_generation_started: 'any',
  time_limit_step_recorded: [
    'received',
    'accepted',
    'investigating',
    'substantiated',
    'unsubstantiated',
  ],
  time_limit_step_delivered: 'any',
  time_limit_delivery_started: 'any',
  time_limit_step_withdrawn: 'any',
  hazard_progressed: 'any',
  outcome_recorded: ['substantiated', 'closed'],
  reward_computed: ['substantiated', 'closed'],
  reward_approved: ['substantiated', 'closed'],
};

const blank = (text: string | undefined) => !text?.trim();

const rewardEvents: readonly TipEventType[] = [
  'outcome_recorded',
  'reward_computed',
  'reward_approved',
];

const notSubstantiated = () =>
  violation(
    '举报核查属实后才能记录查处结果和奖励。',
    'The case result and the reward need a substantiated tip.',
  );

/** The rules of the case result and the reward (RULES.md, "Tips and rewards"). */
function rewardRefusal(state: TipState, event: TipEvent): TipRuleViolation | null {
  if (state.finding !== 'substantiated') return notSubstantiated();
  if (state.reward?.approvedBy) {
    return violation('奖励已批准，不能再更改。', 'The reward is approved: it cannot change.');
  }
  switch (event.type) {
    case 'outcome_recorded': {
      const { outcome } = event.data;
      if (blank(event.data.documentNumber)) {
        return violation('请填写文书编号。', 'Give the document number.');
      }
      if (
        outcome.kind === 'fine_imposed' &&
        (!Number.isSafeInteger(outcome.fineYuan) || outcome.fineYuan < 0)
      ) {
        return violation('罚款金额须为非负整数（元）。', 'The fine is a whole number of yuan.');
      }
      if (
        outcome.kind === 'accident_concealed' &&
        (!Number.isSafeInteger(outcome.deaths) || outcome.deaths < 1)
      ) {
        return violation(
          '瞒报死亡人数须为正整数。',
          'The concealed deaths are a whole number, 1 or more.',
        );
      }
      return null;
    }
    case 'reward_computed': {
      if (!state.outcome) {
        return violation('请先记录查处结果。', 'Record the case result first.');
      }
      if (state.outcome.kind === 'nothing_found') {
        return violation('查无违法事实，不予奖励。', 'Nothing was found: there is no reward.');
      }
      const { amountFen, computation, adjustmentReason } = event.data;
      if (!Number.isSafeInteger(amountFen) || amountFen < 0) {
        return violation('奖励金额须为非负整数（分）。', 'The reward is a whole number of fen.');
      }
      if (amountFen !== computation.amountFen && blank(adjustmentReason)) {
        return violation('调整奖励金额须说明理由。', 'An adjusted reward needs a reason.');
      }
      return null;
    }
    case 'reward_approved':
      if (!state.reward) {
        return violation('奖励尚未核算。', 'The reward has not been computed yet.');
      }
      if (state.reward.computedBy === event.data.approvedBy) {
        return violation(
          '核算奖励的人不能批准同一笔奖励，须由另一名奖励专员批准。',
          'The reward officer who computed the reward cannot approve it: another must.',
        );
      }
      // What the approver saw is the revision the command names (a conflict otherwise).
      return null;
    default:
      return null;
  }
}

/**
 * Which event may follow in which status: the domain refuses anything else, with a reason
 * in both languages. `limits` bounds the extension (the jurisdiction's policy).
 */
export function checkTipTransition(
  state: TipState | null,
  event: TipEvent,
  limits: TipTimeLimits = defaultTipTimeLimits,
): void {
  if (event.type === 'tip_received') {
    if (state) throw violation('举报已登记。', 'The tip is already recorded.');
    return;
  }
  if (!state) throw violation('举报不存在。', 'There is no such tip.');
  const allowed = allowedIn[event.type];
  if (allowed !== 'any' && !allowed.includes(state.status)) {
    if (event.type === 'feedback_given') {
      throw violation('核查结果记录后才能反馈。', 'Feedback needs the verification result first.');
    }
    if (rewardEvents.includes(event.type)) throw notSubstantiated();
    throw violation(
      `举报当前状态（${state.status}）不能进行此操作。`,
      `Not allowed while the tip is ${state.status}.`,
    );
  }
  const refusal = stateRefusal(state, event, limits);
  if (refusal) throw refusal;
}

/** The rules that depend on more than the status. */
function stateRefusal(
  state: TipState,
  event: TipEvent,
  limits: TipTimeLimits,
): TipRuleViolation | null {
  switch (event.type) {
    case 'tip_refused':
      return Object.hasOwn(refusalReasons, event.data.reason)
        ? null
        : violation('不予受理须选择法定理由。', 'A refusal must give one of the listed reasons.');
    case 'tip_referred':
      return blank(event.data.department)
        ? violation('请写明转交的部门。', 'Name the department the tip is referred to.')
        : null;
    case 'tip_merged':
      if (blank(event.data.intoTipId)) {
        return violation('请指明合并到的举报。', 'Name the tip to merge into.');
      }
      return event.data.intoTipId === state.tipId
        ? violation('举报不能合并到自身。', 'A tip cannot be merged into itself.')
        : null;
    case 'investigation_recorded':
      if (event.data.finding !== 'substantiated' && event.data.finding !== 'unsubstantiated') {
        return violation('核查结果须为属实或不属实。', 'The finding is substantiated or not.');
      }
      return blank(event.data.note)
        ? violation('请写明核查情况。', 'Say what the verification found.')
        : null;
    case 'verification_extension_approved': {
      if (state.extensionUsed) {
        return violation('核查期限只能延长一次。', 'Verification can be extended once only.');
      }
      const { maxDays } = limits.verify.extension;
      if (!Number.isInteger(event.data.days) || event.data.days < 1 || event.data.days > maxDays) {
        return violation(
          `延长天数须为 1 至 ${maxDays} 天。`,
          `An extension is 1 to ${maxDays} days.`,
        );
      }
      if (blank(event.data.reason)) {
        return violation(
          '延期须说明理由（将告知举报人）。',
          'An extension needs a reason (the tipster is told it).',
        );
      }
      return blank(event.data.approvedBy)
        ? violation('延期须经上级批准。', 'An extension must be approved by the level above.')
        : null;
    }
    case 'feedback_given':
      return blank(event.data.text)
        ? violation('请写明反馈内容。', 'Write what the tipster is told.')
        : null;
    case 'outcome_recorded':
    case 'reward_computed':
    case 'reward_approved':
      return rewardRefusal(state, event);
    case 'lifecycle_generation_started':
      return event.data.generation > state.generation
        ? null
        : violation('工作流代次已过期。', 'That workflow generation is out of date.');
    case 'time_limit_step_recorded':
      return runningLimit(state)?.limit === event.data.limit
        ? null
        : violation('该期限不在计时中。', 'That time limit is not running.');
    default:
      return null;
  }
}

export const tipStream = (tipId: string) => `TIP#${tipId}`;

const dayMs = 24 * 3600 * 1000;

/** Questions from the office not yet answered by the tipster. */
export function openQuestions(state: TipState): number {
  const answered = new Set(
    state.messages.flatMap((message) => (message.inReplyTo ? [message.inReplyTo] : [])),
  );
  return state.messages.filter(
    (message) => message.from === 'office' && !answered.has(message.messageId),
  ).length;
}

/** A message is named after the event that carries it: m<sequence>. */
function withMessage(
  state: TipState,
  event: RecordedEvent,
  message: Omit<TipMessage, 'messageId' | 'at'>,
): TipState {
  return {
    ...state,
    messages: [...state.messages, { messageId: `m${event.sequence}`, at: event.at, ...message }],
  };
}

/** The CST date whose 24:00 a deadline is, as people say it. */
const dayOf = (deadline: string) => cstDate(new Date(Date.parse(deadline) - 1));

function withStatus(state: TipState, at: string, status: TipStatus, reason?: Bilingual): TipState {
  return {
    ...state,
    status,
    timeline: [...state.timeline, { at, status, ...(reason ? { reason } : {}) }],
  };
}

/** A state stored before the triage fields existed gets their initial values. */
const withDefaults = (state: TipState): TipState => ({
  ...state,
  extensionUsed: state.extensionUsed ?? false,
  generation: state.generation ?? 0,
  timeLimitSteps: state.timeLimitSteps ?? [],
  revision: state.revision ?? 1,
  photoRefusals: state.photoRefusals ?? [],
});

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

export const tipProjection: Projection<TipState> = {
  apply(previous, event: RecordedEvent) {
    const next = applyTipEvent(previous, event);
    // Photos arrive from the photo processor (a system actor): they conflict with nobody.
    return previous && event.actor.kind !== 'system'
      ? { ...next, revision: withDefaults(previous).revision + 1 }
      : next;
  },
  indexes: (state) => ({
    // The inbox: a jurisdiction's tips by status, newest first (no Scan).
    gsi1pk: `TIPS#${state.jurisdiction}#${state.status}`,
    gsi1sk: `${state.receivedAt}#${state.tipId}`,
  }),
};

export function tipForTipster(
  state: TipState,
  jurisdiction: { code: string; zh: string; en: string },
) {
  return {
    status: state.status,
    receivedAt: state.receivedAt,
    jurisdiction,
    industry: state.industry,
    description: state.description,
    // Only what the tipster is meant to see: no actor, no officer's name, no internal note.
    timeline: state.timeline.map(({ at, status, reason, hazardStage }) => ({
      at,
      status,
      ...(reason ? { reason } : {}),
      ...(hazardStage ? { hazardStage } : {}),
    })),
    messages: state.messages.map(({ askedBy: _officer, ...message }) => message),
    openQuestions: openQuestions(state),
    photos: state.photos.length,
    // Which photos arrived, which were refused and why, which are still on their way.
    photoSlots: state.photoSlots.map((photoId) => {
      const status = photoSlotStatus(state, photoId);
      const refusal = (state.photoRefusals ?? []).find((entry) => entry.photoId === photoId);
      return {
        photoId,
        status,
        ...(status === 'refused' && refusal ? { reason: photoRefusalReasons[refusal.reason] } : {}),
      };
    }),
  };
}

export function tipSummary(state: TipState) {
  return {
    tipId: state.tipId,
    status: state.status,
    receivedAt: state.receivedAt,
    jurisdiction: state.jurisdiction,
    industry: state.industry,
    ...(state.enterprise ? { enterprise: state.enterprise } : {}),
    address: state.address,
    excerpt: state.description.slice(0, 80),
    photos: state.photos.length,
    openQuestions: openQuestions(state),
    acceptDeadline: state.acceptDeadline,
  };
}

export function tipForOfficer(state: TipState) {
  return {
    ...tipSummary(state),
    channel: state.channel,
    revision: state.revision,
    ...(state.unit ? { unit: state.unit } : {}),
    description: state.description,
    seenOn: state.seenOn,
    isEmployee: state.isEmployee,
    wantsReward: state.wantsReward,
    hasContact: Boolean(state.contactSealed),
    ...(state.location ? { location: state.location } : {}),
    photoKeys: state.photos.map((photo) => photo.key),
    messages: state.messages,
    timeline: state.timeline,
    ...tipTriage(state),
  };
}

/** The triage and time-limit facts of a tip, for the office (internal notes included). */
export function tipTriage(state: TipState) {
  const running = runningLimit(state);
  return {
    ...(running
      ? { runningLimit: { limit: running.limit, deadline: running.deadline.toISOString() } }
      : {}),
    ...(state.acceptedAt ? { acceptedAt: state.acceptedAt } : {}),
    ...(state.verifyDeadline ? { verifyDeadline: state.verifyDeadline } : {}),
    extensionUsed: state.extensionUsed ?? false,
    ...(state.extension ? { extension: state.extension } : {}),
    ...(state.verifiedAt ? { verifiedAt: state.verifiedAt } : {}),
    ...(state.feedbackDeadline ? { feedbackDeadline: state.feedbackDeadline } : {}),
    ...(state.finding ? { finding: state.finding } : {}),
    ...(state.findingNote ? { findingNote: state.findingNote } : {}),
    ...(state.hazardId ? { hazardId: state.hazardId } : {}),
    ...(state.outcome ? { outcome: state.outcome } : {}),
    ...(state.reward ? { reward: state.reward } : {}),
    ...(state.refusal ? { refusal: state.refusal } : {}),
    ...(state.referredTo ? { referredTo: state.referredTo } : {}),
    ...(state.referralNote ? { referralNote: state.referralNote } : {}),
    ...(state.mergedInto ? { mergedInto: state.mergedInto } : {}),
    ...(state.feedback ? { feedback: state.feedback } : {}),
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
  };
}

function applyTipEvent(previous: TipState | null, event: RecordedEvent): TipState {
  const typed = event as unknown as TipEvent & { at: string; sequence: number; actor: Actor };
  if (typed.type === 'tip_received') {
    const { photoIds, lifecycleGeneration, ...received } = typed.data;
    return {
      ...received,
      status: 'received',
      receivedAt: event.at,
      photoSlots: photoIds,
      photos: [],
      photoRefusals: [],
      messages: [],
      timeline: [{ at: event.at, status: 'received' }],
      extensionUsed: false,
      revision: 1,
      generation: lifecycleGeneration ?? 0,
      timeLimitSteps: [],
    };
  }
  if (!previous) throw new Error(`tip event ${event.type} before tip_received`);
  const state = withDefaults(previous);
  switch (typed.type) {
    case 'photo_slots_opened':
      return { ...state, photoSlots: [...state.photoSlots, ...typed.data.photoIds] };
    case 'photo_added':
      if (photoSlotStatus(state, typed.data.photoId) !== 'waiting') return state;
      return { ...state, photos: [...state.photos, typed.data] };
    case 'photo_refused':
      if (photoSlotStatus(state, typed.data.photoId) !== 'waiting') return state;
      return {
        ...state,
        photoRefusals: [
          ...state.photoRefusals,
          { photoId: typed.data.photoId, reason: typed.data.reason },
        ],
      };
    case 'question_asked':
      return withMessage(state, event, {
        from: 'office',
        text: typed.data.text,
        askedBy: typed.actor.id,
      });
    case 'tipster_replied':
      return withMessage(state, event, {
        from: 'tipster',
        text: typed.data.text,
        ...(typed.data.inReplyTo ? { inReplyTo: typed.data.inReplyTo } : {}),
      });
    case 'tip_accepted': {
      const verifyDeadline =
        typed.data.verifyDeadline ??
        tipDeadline(defaultTipTimeLimits.verify, new Date(event.at), seedCalendar).toISOString();
      return withStatus({ ...state, acceptedAt: event.at, verifyDeadline }, event.at, 'accepted', {
        zh: `已受理，将于 ${dayOf(verifyDeadline)} 前完成核查。`,
        en: `Accepted: verification will be finished by ${dayOf(verifyDeadline)}.`,
      });
    }
    case 'tip_refused':
      return withStatus(
        {
          ...state,
          refusal: {
            reason: typed.data.reason,
            ...(typed.data.note ? { note: typed.data.note } : {}),
          },
        },
        event.at,
        'refused',
        refusalReasons[typed.data.reason],
      );
    case 'tip_referred':
      return withStatus(
        {
          ...state,
          referredTo: typed.data.department,
          ...(typed.data.note ? { referralNote: typed.data.note } : {}),
        },
        event.at,
        'referred',
        {
          zh: `已转交${typed.data.department}处理。`,
          en: `Referred to ${typed.data.department}.`,
        },
      );
    case 'tip_merged':
      // The other tip is not named to the tipster: it is someone else's.
      return withStatus({ ...state, mergedInto: typed.data.intoTipId }, event.at, 'merged', {
        zh: '已与同一事项的举报合并处理。',
        en: 'Handled together with another tip on the same matter.',
      });
    case 'investigation_started':
      return withStatus({ ...state, investigationStartedAt: event.at }, event.at, 'investigating');
    case 'investigation_recorded': {
      const feedbackDeadline =
        typed.data.feedbackDeadline ??
        tipDeadline(defaultTipTimeLimits.feedback, new Date(event.at), seedCalendar).toISOString();
      return withStatus(
        {
          ...state,
          verifiedAt: event.at,
          feedbackDeadline,
          finding: typed.data.finding,
          findingNote: typed.data.note,
          ...(typed.data.hazardId ? { hazardId: typed.data.hazardId } : {}),
          ...(typed.data.rewardPolicy ? { rewardPolicy: typed.data.rewardPolicy } : {}),
        },
        event.at,
        typed.data.finding,
        {
          zh: `核查已完成，结果将于 ${dayOf(feedbackDeadline)} 前反馈。`,
          en: `Verification is finished; you will be told the result by ${dayOf(feedbackDeadline)}.`,
        },
      );
    }
    case 'verification_extension_approved': {
      const { days, reason, approvedBy } = typed.data;
      const verifyDeadline = state.verifyDeadline
        ? new Date(Date.parse(state.verifyDeadline) + days * dayMs).toISOString()
        : undefined;
      const until = verifyDeadline ? dayOf(verifyDeadline) : '';
      return withStatus(
        {
          ...state,
          ...(verifyDeadline ? { verifyDeadline } : {}),
          extensionUsed: true,
          extension: { days, reason, approvedBy, at: event.at },
        },
        event.at,
        state.status,
        {
          zh: `核查期限经批准延长 ${days} 天，至 ${until}。理由：${reason}`,
          en: `Verification extended by ${days} days with approval, to ${until}. Reason: ${reason}`,
        },
      );
    }
    case 'feedback_given':
      return withStatus(
        { ...state, feedback: { text: typed.data.text, at: event.at }, closedAt: event.at },
        event.at,
        'closed',
        { zh: typed.data.text, en: typed.data.text },
      );
    case 'lifecycle_generation_started':
      return { ...state, generation: typed.data.generation };
    case 'time_limit_step_recorded':
      return {
        ...state,
        timeLimitSteps: [
          ...state.timeLimitSteps,
          {
            key: event.idempotencyKey ?? '',
            limit: typed.data.limit,
            step: typed.data.step,
            at: event.at,
            late: typed.data.late,
            delivered: false,
          },
        ],
      };
    case 'time_limit_step_delivered':
      return {
        ...state,
        timeLimitSteps: state.timeLimitSteps.map((entry) =>
          entry.key === typed.data.key ? { ...entry, delivered: true } : entry,
        ),
      };
    case 'time_limit_delivery_started':
      return {
        ...state,
        timeLimitSteps: state.timeLimitSteps.map((entry) =>
          entry.key === typed.data.key
            ? { ...entry, deliveryAttempts: (entry.deliveryAttempts ?? 0) + 1 }
            : entry,
        ),
      };
    case 'time_limit_step_withdrawn':
      return {
        ...state,
        timeLimitSteps: state.timeLimitSteps.map((entry) =>
          entry.key === typed.data.key ? { ...entry, withdrawn: true } : entry,
        ),
      };
    case 'outcome_recorded': {
      const { reward: _previous, ...rest } = state;
      // A corrected result drops a computation made on the old one.
      return {
        ...rest,
        outcome: {
          ...typed.data.outcome,
          documentNumber: typed.data.documentNumber,
          recordedAt: event.at,
          recordedBy: typed.actor.id,
        },
      };
    }
    case 'reward_computed':
      return {
        ...state,
        reward: {
          computation: typed.data.computation,
          amountFen: typed.data.amountFen,
          ...(typed.data.adjustmentReason ? { adjustmentReason: typed.data.adjustmentReason } : {}),
          computedBy: typed.data.computedBy,
          ...(typed.actor.name ? { computedByName: typed.actor.name } : {}),
          computedAt: event.at,
        },
      };
    case 'reward_approved':
      return state.reward
        ? {
            ...state,
            reward: {
              ...state.reward,
              approvedBy: typed.data.approvedBy,
              ...(typed.actor.name ? { approvedByName: typed.actor.name } : {}),
              approvedAt: event.at,
            },
          }
        : state;
    case 'hazard_progressed':
      return {
        ...state,
        timeline: [
          ...state.timeline,
          { at: event.at, status: state.status, hazardStage: typed.data.stage },
        ],
      };
    default:
      return state;
  }
}

/** The reward an outcome earns under the policy in force when the tip was substantiated. */
export function rewardFor(state: TipState): RewardComputation | undefined {
  if (!state.outcome) return undefined;
  const { documentNumber: _n, recordedAt: _a, recordedBy: _b, ...outcome } = state.outcome;
  return computeReward(state.rewardPolicy ?? nationalRewardPolicy, outcome as CaseOutcome);
}
