import {
  addCalendarDays,
  cstDate,
  endOfCstDay,
  type HolidayCalendar,
  isWorkingDay,
} from '../calendar/calendar.ts';
import { type EscalationPolicy, nextOfficeMoment } from '../hazards/escalation.ts';
import { nationalRewardPolicy } from '../rewards/reward-policy.ts';
import { awaitingNotice, noticeDueByOf } from './notice-due.ts';
import type { TipState } from './tip-state.ts';

/**
 * The notice deadline kept by the tip's lifecycle (RULES.md, "Tips and rewards": the
 * tipster is told of the reward within `noticeDays` of the verification result). The
 * approval is the notice: the follow-up page shows the reward from then on. While a
 * substantiated tip's case result earns a reward and none is approved, the lifecycle waits
 * for a reminder to the jurisdiction's reward officers some days before the deadline, then
 * for the deadline itself, when `reward_notice_overdue` is recorded once (its key is
 * `noticeStepKey`, the only one: nothing else records it). An approval ends the wait; one
 * after the deadline still stands, and the log shows the overdue mark before it.
 * Pure: no I/O.
 *
 * The reminder goes to office staff, never to the tipster: it names the tip (the first 8
 * characters of its id, as every lifecycle message) and the deadline, nothing the tipster
 * wrote.
 */
export interface NoticeReminderPolicy {
  /** Days before the notice deadline, counted as the tip's reward policy counts; 0: none. */
  daysBefore: number;
  source: string;
}

export const defaultNoticeReminderPolicy: NoticeReminderPolicy = {
  daysBefore: 5,
  source:
    'A default chosen for this system: no national rule sets a reminder before the notice deadline',
};

export { awaitingNotice, noticeDueByOf, noticeGivenLate } from './notice-due.ts';

/** The reward officers of a jurisdiction, as the contact lists name them. */
export const rewardOfficerRecipient = 'reward_officer';
export const rewardOfficersAddress = (jurisdiction: string) =>
  `${rewardOfficerRecipient}@${jurisdiction}`;

export type NoticeStep = 'reminder' | 'overdue';

export const noticeStepKey = (tipId: string, step: NoticeStep) =>
  step === 'overdue' ? `${tipId}#reward#notice-overdue` : `${tipId}#reward#notice-reminder`;

/** The reminder's notification key: one per tip and recipient, so that it is sent once. */
export const noticeReminderNotificationKey = (tipId: string) =>
  `${noticeStepKey(tipId, 'reminder')}#${rewardOfficerRecipient}`;

export interface DueNoticeStep {
  step: NoticeStep;
  /** Recorded once on the tip's log. */
  key: string;
  dueAt: Date;
  /** Missed while the system was down: recorded more than `lateAfterMinutes` after its time. */
  late: boolean;
}

/** A reminder recorded and not yet handed to the notifier, while the notice is still due. */
export function noticeReminderToSend(state: TipState): boolean {
  const notice = state.rewardNotice;
  return Boolean(
    notice?.reward_notice_reminder_recorded &&
      !notice.reward_notice_reminder_sent &&
      awaitingNotice(state),
  );
}

/** The CST date `count` working days before `date`. */
function workingDaysBefore(calendar: HolidayCalendar, date: string, count: number): string {
  let current = date;
  for (let remaining = count; remaining > 0; ) {
    current = addCalendarDays(current, -1);
    if (isWorkingDay(calendar, current)) remaining -= 1;
  }
  return current;
}

/**
 * The reminder's nominal time: `daysBefore` days before the deadline's last day ends,
 * working days when the tip's policy counts them (so holidays are skipped).
 */
function reminderNominal(state: TipState, dueBy: Date, calendar: HolidayCalendar, days: number) {
  const lastDay = cstDate(new Date(dueBy.getTime() - 1));
  const unit = (state.rewardPolicy ?? nationalRewardPolicy).deadlineUnit ?? 'calendar';
  const day =
    unit === 'working'
      ? workingDaysBefore(calendar, lastDay, days)
      : addCalendarDays(lastDay, -days);
  return endOfCstDay(day);
}

/**
 * The notice's steps due now (reminder first, then the overdue mark) and when to look
 * again. The reminder's time is moved into office hours, and never before the case result
 * was recorded (a result recorded late reminds at once, in office hours); past the deadline
 * it has no purpose. The overdue mark falls due at the deadline itself.
 */
export function planRewardNotice(input: {
  state: TipState;
  now: Date;
  calendar: HolidayCalendar;
  officeHours: EscalationPolicy['officeHours'];
  policy?: NoticeReminderPolicy;
  lateAfterMinutes?: number;
}): { waiting: boolean; due: DueNoticeStep[]; nextAt: Date | null } {
  const { state, now, calendar } = input;
  const noticeDueBy = awaitingNotice(state) ? noticeDueByOf(state, calendar) : undefined;
  const notice = state.rewardNotice;
  if (!noticeDueBy || notice?.reward_notice_overdue)
    return { waiting: false, due: [], nextAt: null };
  const policy = input.policy ?? defaultNoticeReminderPolicy;
  const dueBy = new Date(noticeDueBy);
  const steps: { step: NoticeStep; dueAt: Date }[] = [];
  if (policy.daysBefore > 0 && !notice?.reward_notice_reminder_recorded && now < dueBy) {
    const nominal = reminderNominal(state, dueBy, calendar, policy.daysBefore);
    const resultAt = new Date(state.outcome?.recordedAt ?? nominal);
    const earliest = nominal > resultAt ? nominal : resultAt;
    const dueAt = nextOfficeMoment(earliest, calendar, input.officeHours);
    if (dueAt < dueBy) steps.push({ step: 'reminder', dueAt });
  }
  steps.push({ step: 'overdue', dueAt: dueBy });
  const lateAfter = (input.lateAfterMinutes ?? 15) * 60 * 1000;
  const due = steps
    .filter((step) => step.dueAt <= now)
    .map((step) => ({
      ...step,
      key: noticeStepKey(state.tipId, step.step),
      late: now.getTime() - step.dueAt.getTime() > lateAfter,
    }));
  const future = steps.filter((step) => step.dueAt > now);
  return { waiting: true, due, nextAt: future[0]?.dueAt ?? null };
}

/** The reminder to the reward officers: which tip, and by when the tipster must be told. */
export function noticeReminderMessage(state: TipState, noticeDueBy: string) {
  const tip = state.tipId.slice(0, 8);
  const lastDay = cstDate(new Date(Date.parse(noticeDueBy) - 1));
  return {
    subject: {
      zh: `举报奖励告知期限提醒：${tip}`,
      en: `Reward notice due: tip ${tip}`,
    },
    body: {
      zh: `${state.jurisdiction} 举报线索 ${tip} 的奖励须于 ${lastDay} 前核算、批准并告知举报人，目前尚未批准。请登录奖励工作台处理。`,
      en: `The reward of tip ${tip} in ${state.jurisdiction} must be computed, approved and the tipster told by ${lastDay}; it is not approved yet. Open the reward desk.`,
    },
  };
}
