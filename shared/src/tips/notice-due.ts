import type { HolidayCalendar } from '../calendar/calendar.ts';
import { approvalDeadlines } from './reward-claim.ts';
import type { TipState } from './tip-state.ts';

/**
 * When a reward's notice is due (reward-notice.ts keeps it in the lifecycle): the rules
 * and the command read these, apart from the planner and its messages, so that the
 * office's handlers do not bundle them.
 */
/**
 * Whether a reward is due and the tipster not yet told: substantiated, a case result that
 * earns one, no approval. A joint tip merged into another is told with that one's approval.
 */
export function awaitingNotice(state: TipState): boolean {
  return Boolean(
    state.finding === 'substantiated' &&
      state.outcome &&
      state.outcome.kind !== 'nothing_found' &&
      !state.mergedInto &&
      !state.reward?.approvedAt,
  );
}

/** The notice deadline as recorded with the case result, or by the tip's policy now. */
export function noticeDueByOf(state: TipState, calendar: HolidayCalendar): string | undefined {
  if (state.outcome?.noticeDueBy) return state.outcome.noticeDueBy;
  if (!state.verifiedAt) return undefined;
  // As the approval computes it (from the verification, by the tip's policy).
  return approvalDeadlines(state, new Date(state.verifiedAt), calendar).noticeDueBy;
}

/** Whether the tipster was told late: the approval came after the notice deadline. */
export function noticeGivenLate(reward: { approvedAt?: string; noticeDueBy?: string }): boolean {
  return Boolean(
    reward.approvedAt && reward.noticeDueBy && reward.approvedAt >= reward.noticeDueBy,
  );
}
