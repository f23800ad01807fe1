import { excerptOf } from '../i18n/excerpt.ts';
import { rewardForOffice, rewardForTipster } from './reward-claim.ts';
import { runningLimit } from './time-limits.ts';
import { openQuestions, photoRefusalReasons, photoSlotStatus, type TipState } from './tip-state.ts';

/** What each reader is shown of a tip: the tipster, the inbox, the officer. */
export function tipForTipster(
  state: TipState,
  jurisdiction: { code: string; zh: string; en: string },
  now?: Date,
) {
  const reward = now ? rewardForTipster(state, now) : undefined;
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
    ...(reward ? { reward } : {}),
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
    excerpt: excerptOf(state.description, 80),
    photos: state.photos.length,
    openQuestions: openQuestions(state),
    acceptDeadline: state.acceptDeadline,
  };
}

/** `now`: where the reward's claim stands (open, lapsed…) is told as of the clock. */
export function tipForOfficer(state: TipState, now?: Date) {
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
    ...tipTriage(state, now),
  };
}

/** The triage and time-limit facts of a tip, for the office (internal notes included). */
export function tipTriage(state: TipState, now?: Date) {
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
    // Never the claim code's hash nor the sealed account.
    ...(state.reward ? { reward: rewardForOffice(state.reward, now) } : {}),
    ...rewardNoticeView(state, now),
    ...(state.jointTipIds ? { jointTipIds: state.jointTipIds } : {}),
    // Each opening of the sealed phone to deliver a message: never the phone itself.
    ...(state.contactOpenings ? { contactOpenings: state.contactOpenings } : {}),
    ...(state.refusal ? { refusal: state.refusal } : {}),
    ...(state.referredTo ? { referredTo: state.referredTo } : {}),
    ...(state.referralNote ? { referralNote: state.referralNote } : {}),
    ...(state.mergedInto ? { mergedInto: state.mergedInto } : {}),
    ...(state.feedback ? { feedback: state.feedback } : {}),
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
  };
}

/**
 * The notice deadline of a reward (reward-notice.ts): when the tipster must be told by, and
 * whether they were (the approval) or will be late. Absent where no reward is due.
 */
function rewardNoticeView(state: TipState, now?: Date) {
  const approvedAt = state.reward?.approvedAt;
  const dueBy = state.reward?.noticeDueBy ?? state.outcome?.noticeDueBy;
  if (!dueBy || !(approvedAt || (state.outcome && state.outcome.kind !== 'nothing_found'))) {
    return {};
  }
  const notice = state.rewardNotice ?? {};
  const overdueAt = notice.reward_notice_overdue;
  const reminderAt = notice.reward_notice_reminder_recorded;
  return {
    rewardNotice: {
      dueBy,
      // Told late (the approval), or not told and past it (recorded by the lifecycle or not).
      overdue: Boolean(overdueAt) || (approvedAt ?? now?.toISOString() ?? '') >= dueBy,
      ...(approvedAt ? { givenAt: approvedAt } : {}),
      ...(reminderAt ? { reminderAt } : {}),
      ...(overdueAt ? { overdueAt } : {}),
    },
  };
}

/**
 * What a reward officer reads of a tip (RULES.md, "Who is who": claim codes and payment
 * details, nothing else about a tipster): the matter and its reward, without the tipster's
 * own words (description, messages), the position their phone shared, their photos, or
 * whether they work there.
 */
export function tipForRewardOfficer(state: TipState, now?: Date) {
  const {
    messages: _messages,
    location: _location,
    isEmployee: _employee,
    photoKeys: _photos,
    // The tipster's own words, whole or in part, may say who they are ("I work the night
    // shift there"); a reward is computed from the case result, not from them.
    description: _description,
    excerpt: _excerpt,
    ...rest
  } = tipForOfficer(state, now);
  return { ...rest, messages: [], photoKeys: [] };
}
