import { cstDate, seedCalendar } from '../calendar/calendar.ts';
import { isSealedKey, type Recorded, type RecordedEvent } from '../event-log/event-log.ts';
import { type Projection, projectionOf } from '../event-log/event-store.ts';
import type { Bilingual } from '../i18n/text.ts';
import { tipPlaceIndex } from './duplicates.ts';
import { sealedDataIndex } from './retention.ts';
import { applyClaimEvent } from './reward-claim.ts';
import { rewardIndexPartition } from './reward-statistics.ts';
import { defaultTipTimeLimits, tipDeadline } from './time-limits.ts';
import {
  photoSlotStatus,
  refusalReasons,
  type TipEvent,
  type TipMessage,
  type TipState,
  type TipStatus,
  tipInboxPartition,
} from './tip-state.ts';
import { tipTally } from './tip-statistics.ts';

/** How a tip's state is derived from its log (a pure fold), and the inbox's index keys. */
export const tipProjection: Projection<TipState> = projectionOf<TipState, TipEvent>({
  apply(previous, event) {
    const next = applyTipEvent(previous, event);
    // Photos arrive from the photo processor (a system actor): they conflict with nobody.
    return previous && event.actor.kind !== 'system'
      ? { ...next, revision: withDefaults(previous).revision + 1 }
      : next;
  },
  indexes: (state) => ({
    // The inbox: a jurisdiction's tips by status, newest first (no Scan).
    gsi1pk: tipInboxPartition(state.jurisdiction, state.status),
    gsi1sk: `${state.receivedAt}#${state.tipId}`,
    // The statistics' money: approved rewards by jurisdiction (reward-statistics.ts).
    ...(state.reward?.approvedAt
      ? {
          gsi2pk: rewardIndexPartition(state.jurisdiction),
          gsi2sk: `${state.reward.approvedAt}#${state.tipId}`,
        }
      : {}),
    // The retention sweep's: tips whose sealed data outlive their reward matter.
    ...sealedDataIndex(state),
    // Possible duplicates across the jurisdiction: by enterprise (gsi4), by address (gsi5).
    ...tipPlaceIndex(state),
  }),
  // The statistics' tip counters (tip-statistics.ts): one bucket per jurisdiction and month.
  tally: tipTally,
  // The conversation, the photos and each reading of the bank details: the lifecycle's
  // time limits and reward steps read none of them, and their handlers wake it not.
  unplanned: new Set([
    'photo_slots_opened',
    'photo_added',
    'photo_refused',
    'question_asked',
    'tipster_replied',
    'payment_details_opened',
  ]),
});

function applyTipEvent(previous: TipState | null, event: Recorded<TipEvent>): TipState {
  if (event.type === 'tip_received') {
    const { photoIds, lifecycleGeneration, ...received } = event.data;
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
  switch (event.type) {
    case 'photo_slots_opened':
      return { ...state, photoSlots: [...state.photoSlots, ...event.data.photoIds] };
    case 'photo_added':
      if (photoSlotStatus(state, event.data.photoId) !== 'waiting') return state;
      return { ...state, photos: [...state.photos, event.data] };
    case 'photo_refused':
      if (photoSlotStatus(state, event.data.photoId) !== 'waiting') return state;
      return {
        ...state,
        photoRefusals: [
          ...state.photoRefusals,
          { photoId: event.data.photoId, reason: event.data.reason },
        ],
      };
    case 'question_asked':
      return withMessage(state, event, {
        from: 'office',
        text: event.data.text,
        askedBy: event.actor.id,
      });
    case 'tipster_replied':
      return withMessage(state, event, {
        from: 'tipster',
        text: event.data.text,
        ...(event.data.inReplyTo ? { inReplyTo: event.data.inReplyTo } : {}),
      });
    case 'tip_accepted': {
      const verifyDeadline =
        event.data.verifyDeadline ??
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
            reason: event.data.reason,
            ...(event.data.note ? { note: event.data.note } : {}),
          },
        },
        event.at,
        'refused',
        refusalReasons[event.data.reason],
      );
    case 'tip_referred':
      return withStatus(
        {
          ...state,
          referredTo: event.data.department,
          ...(event.data.note ? { referralNote: event.data.note } : {}),
        },
        event.at,
        'referred',
        {
          zh: `已转交${event.data.department}处理。`,
          en: `Referred to ${event.data.department}.`,
        },
      );
    case 'tip_merged':
      // The other tip is not named to the tipster: it is someone else's.
      return withStatus({ ...state, mergedInto: event.data.intoTipId }, event.at, 'merged', {
        zh: '已与同一事项的举报合并处理。',
        en: 'Handled together with another tip on the same matter.',
      });
    case 'investigation_started':
      return withStatus({ ...state, investigationStartedAt: event.at }, event.at, 'investigating');
    case 'investigation_recorded': {
      const feedbackDeadline =
        event.data.feedbackDeadline ??
        tipDeadline(defaultTipTimeLimits.feedback, new Date(event.at), seedCalendar).toISOString();
      return withStatus(
        {
          ...state,
          verifiedAt: event.at,
          feedbackDeadline,
          finding: event.data.finding,
          findingNote: event.data.note,
          ...(event.data.hazardId ? { hazardId: event.data.hazardId } : {}),
          ...(event.data.rewardPolicy ? { rewardPolicy: event.data.rewardPolicy } : {}),
        },
        event.at,
        event.data.finding,
        {
          zh: `核查已完成，结果将于 ${dayOf(feedbackDeadline)} 前反馈。`,
          en: `Verification is finished; you will be told the result by ${dayOf(feedbackDeadline)}.`,
        },
      );
    }
    case 'verification_extension_approved': {
      const { days, reason, approvedBy } = event.data;
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
        { ...state, feedback: { text: event.data.text, at: event.at }, closedAt: event.at },
        event.at,
        'closed',
        { zh: event.data.text, en: event.data.text },
      );
    case 'lifecycle_generation_started':
      return { ...state, generation: event.data.generation };
    case 'time_limit_step_recorded':
      return {
        ...state,
        timeLimitSteps: [
          ...state.timeLimitSteps,
          {
            key: event.idempotencyKey ?? '',
            limit: event.data.limit,
            step: event.data.step,
            at: event.at,
            late: event.data.late,
            delivered: false,
          },
        ],
      };
    case 'time_limit_step_delivered':
      return {
        ...state,
        timeLimitSteps: state.timeLimitSteps.map((entry) =>
          entry.key === event.data.key ? { ...entry, delivered: true } : entry,
        ),
      };
    case 'time_limit_delivery_started':
      return {
        ...state,
        timeLimitSteps: state.timeLimitSteps.map((entry) =>
          entry.key === event.data.key
            ? { ...entry, deliveryAttempts: (entry.deliveryAttempts ?? 0) + 1 }
            : entry,
        ),
      };
    case 'time_limit_step_withdrawn':
      return {
        ...state,
        timeLimitSteps: state.timeLimitSteps.map((entry) =>
          entry.key === event.data.key ? { ...entry, withdrawn: true } : entry,
        ),
      };
    case 'outcome_recorded': {
      const { reward: _previous, ...rest } = state;
      // A corrected result drops a computation made on the old one.
      // With its document number and the notice deadline it was recorded with.
      const { outcome, ...recorded } = event.data;
      return {
        ...rest,
        outcome: { ...outcome, ...recorded, recordedAt: event.at, recordedBy: event.actor.id },
      };
    }
    case 'reward_computed':
      return {
        ...state,
        reward: {
          computation: event.data.computation,
          amountFen: event.data.amountFen,
          ...(event.data.adjustmentReason ? { adjustmentReason: event.data.adjustmentReason } : {}),
          computedBy: event.data.computedBy,
          ...(event.actor.name ? { computedByName: event.actor.name } : {}),
          computedAt: event.at,
        },
      };
    case 'reward_approved':
      return state.reward
        ? {
            ...state,
            reward: {
              ...state.reward,
              approvedBy: event.data.approvedBy,
              ...(event.actor.name ? { approvedByName: event.actor.name } : {}),
              approvedAt: event.at,
              ...(event.data.noticeDueBy ? { noticeDueBy: event.data.noticeDueBy } : {}),
              ...(event.data.claimBy ? { claimBy: event.data.claimBy } : {}),
              ...(event.data.shares ? { shares: event.data.shares } : {}),
            },
          }
        : state;
    case 'joint_tipsters_recorded': {
      const { jointTipIds: _previous, ...rest } = state;
      return event.data.tipIds.length ? { ...rest, jointTipIds: event.data.tipIds } : rest;
    }
    case 'reward_shares_granted':
      return state.reward
        ? { ...state, reward: { ...state.reward, sharesGrantedAt: event.at } }
        : state;
    case 'reward_share_granted': {
      const { fromTipId, totalFen, shareCount, noticeDueBy, claimBy, ...data } = event.data;
      return {
        ...state,
        reward: {
          computation: data.computation,
          amountFen: data.amountFen,
          computedBy: data.computedBy,
          computedAt: data.approvedAt,
          approvedBy: data.approvedBy,
          approvedAt: data.approvedAt,
          ...(noticeDueBy ? { noticeDueBy } : {}),
          ...(claimBy ? { claimBy } : {}),
          jointShareOf: { tipId: fromTipId, totalFen, shareCount },
        },
      };
    }
    case 'tipster_contact_opened':
      return {
        ...state,
        contactOpenings: [
          ...(state.contactOpenings ?? []),
          { at: event.at, by: event.actor.id, purpose: event.data.purpose },
        ],
      };
    case 'reward_claimed':
    case 'reward_lapsed':
    case 'reward_claim_reminder_sent':
    case 'reward_claim_reminder_recorded':
    case 'payment_details_opened':
    case 'payment_recorded':
      return applyClaimEvent(state, event);
    case 'contact_erased':
      // The state keeps no sealed value (nor a tombstone, read from the log in between).
      return {
        ...(JSON.parse(
          JSON.stringify(state, (key, value) => (isSealedKey(key) ? undefined : value)),
        ) as TipState),
        sealedErased: { at: event.at, fields: event.data.fields },
      };
    case 'hazard_progressed':
      return {
        ...state,
        ...(event.data.hazardId && !state.hazardId ? { hazardId: event.data.hazardId } : {}),
        timeline: [
          ...state.timeline,
          { at: event.at, status: state.status, hazardStage: event.data.stage },
        ],
      };
    default:
      // The notice deadline's steps (reward-notice.ts): when each was recorded, by its type.
      return event.type.startsWith('reward_notice_')
        ? { ...state, rewardNotice: { ...state.rewardNotice, [event.type]: event.at } }
        : state;
  }
}

const dayMs = 24 * 3600 * 1000;

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
