import {
  addCalendarDays,
  cstDate,
  deadlineAfter,
  endOfCstDay,
  type HolidayCalendar,
  isWorkingDay,
} from '../calendar/calendar.ts';
import { byDueTime, type EscalationPolicy, nextOfficeMoment } from '../hazards/escalation.ts';
import type { Bilingual } from '../i18n/text.ts';
import type { TipLimit, TipLimitStep, TipState } from './tip-state.ts';

/**
 * The time limits on a tip (RULES.md, "Time limits on a tip"): policy data with the rule
 * each default comes from, and a pure planner that says which reminder or overdue step is
 * due at a moment and when to look again. The same ladder behaviour as the hazard's
 * (RULES.md, "How the ladder behaves"): a step is keyed by (tip, limit, step) and recorded
 * once; an extension moves the steps not yet fired; missed steps fire late, once, in order.
 */
export type { TipLimit, TipLimitStep };
export type TipLimitRecipient = 'assigned_officer' | 'department_head';
export type DayUnit = 'calendar' | 'working';

export interface TipLimitRung {
  step: TipLimitStep;
  /** Days from the limit's deadline (negative: before it), counted in `unit`. */
  offsetDays: number;
  unit: DayUnit;
  /** Urgent steps go out at their time; the others wait for office hours. */
  urgent: boolean;
  recipients: readonly TipLimitRecipient[];
  name: Bilingual;
}

export interface TipLimitRule {
  days: number;
  unit: DayUnit;
  /** What the limit counts from. */
  from: 'receipt' | 'acceptance' | 'verification_result';
  source: string;
  name: Bilingual;
  ladder: readonly TipLimitRung[];
}

export interface TipTimeLimits {
  version: string;
  source: string;
  accept: TipLimitRule;
  /** One extension only (RULES.md), of at most `maxDays`, approved by the level above. */
  verify: TipLimitRule & { extension: { maxDays: number; source: string } };
  feedback: TipLimitRule;
  /** A step recorded more than this after its time is marked late. */
  lateAfterMinutes: number;
}

const reminder = (offsetDays: number, unit: DayUnit): TipLimitRung => ({
  step: 'reminder',
  offsetDays,
  unit,
  urgent: false,
  recipients: ['assigned_officer'],
  name: { zh: '到期提醒', en: 'Reminder' },
});

const overdue: TipLimitRung = {
  step: 'overdue',
  offsetDays: 0,
  unit: 'calendar',
  urgent: false,
  recipients: ['department_head'],
  name: { zh: '超期督办', en: 'Overdue' },
};

export const defaultTipTimeLimits: TipTimeLimits = {
  version: 'national-default-1',
  source: 'RULES.md, "Time limits on a tip" (2012 rule, kept as defaults)',
  accept: {
    days: 3,
    unit: 'working',
    from: 'receipt',
    source: 'RULES.md: a default chosen for this system, not found in a national rule',
    name: { zh: '受理期限', en: 'Acceptance' },
    ladder: [reminder(-1, 'working'), overdue],
  },
  verify: {
    days: 60,
    unit: 'calendar',
    from: 'acceptance',
    source: 'RULES.md: verification finishes within 60 days of acceptance (2012 rule)',
    name: { zh: '核查期限', en: 'Verification' },
    ladder: [reminder(-7, 'calendar'), overdue],
    extension: {
      maxDays: 30,
      source:
        'RULES.md: one extension of at most 30 days, approved by the level above, with the reason given to the tipster (2012 rule)',
    },
  },
  feedback: {
    days: 10,
    unit: 'calendar',
    from: 'verification_result',
    source:
      'RULES.md: the result goes back to the tipster within 10 days of the verification ending (2012 rule)',
    name: { zh: '反馈期限', en: 'Feedback' },
    ladder: [reminder(-3, 'calendar'), overdue],
  },
  lateAfterMinutes: 15,
};

/** A jurisdiction's lengths of the three limits (policies/schemas.ts, tipLimitsSchema). */
export interface TipLimitDays {
  acceptDays: number;
  verifyDays: number;
  feedbackDays: number;
}

/**
 * A tip's time limits in a jurisdiction: the defaults with the lengths stored with its
 * ladder over them (the ladders, units and extension kept), or the defaults.
 */
export function tipTimeLimitsFor(policy: {
  version: string;
  tipLimits?: TipLimitDays;
}): TipTimeLimits {
  const days = policy.tipLimits;
  if (!days) return defaultTipTimeLimits;
  const d = defaultTipTimeLimits;
  const { version } = policy;
  return {
    ...d,
    version,
    accept: { ...d.accept, days: days.acceptDays },
    verify: { ...d.verify, days: days.verifyDays },
    feedback: { ...d.feedback, days: days.feedbackDays },
  };
}

/** What is wrong with a policy an administrator entered (empty: it is valid). */
export function tipTimeLimitProblems(limits: TipTimeLimits): string[] {
  const problems: string[] = [];
  for (const limit of ['accept', 'verify', 'feedback'] as const) {
    const rule = limits[limit];
    if (!Number.isInteger(rule.days) || rule.days < 1) {
      problems.push(`${limit}: days must be a whole number ≥ 1`);
    }
    const steps = rule.ladder.map((rung) => rung.step);
    if (new Set(steps).size !== steps.length) problems.push(`${limit}: a step appears twice`);
    for (const rung of rule.ladder) {
      if (
        !Number.isInteger(rung.offsetDays) ||
        rung.offsetDays > 0 ||
        rung.offsetDays <= -rule.days
      ) {
        problems.push(`${limit}.${rung.step}: offsetDays must be a whole number in (−days, 0]`);
      }
    }
  }
  const { maxDays } = limits.verify.extension;
  if (!Number.isInteger(maxDays) || maxDays < 1) {
    problems.push('verify.extension: maxDays must be a whole number ≥ 1');
  }
  if (!(limits.lateAfterMinutes >= 0)) problems.push('lateAfterMinutes must be ≥ 0');
  return problems;
}

/** The deadline of a limit counted from an instant (24:00 CST of its last day). */
export const tipDeadline = (rule: TipLimitRule, from: Date, calendar: HolidayCalendar): Date =>
  deadlineAfter(calendar, from, { days: rule.days, unit: rule.unit });

export const tipStepKey = (tipId: string, limit: TipLimit, step: TipLimitStep) =>
  `${tipId}#${limit}#${step}`;

/** The limit running now, its deadline, and since when it runs; null once the tip is final. */
export function runningLimit(
  state: TipState,
): { limit: TipLimit; deadline: Date; since: Date } | null {
  const running = (limit: TipLimit, deadline: string | undefined, since: string | undefined) =>
    deadline && since ? { limit, deadline: new Date(deadline), since: new Date(since) } : null;
  switch (state.status) {
    case 'received':
      return running('accept', state.acceptDeadline, state.receivedAt);
    case 'accepted':
    case 'investigating':
      return running('verify', state.verifyDeadline, state.acceptedAt);
    case 'substantiated':
    case 'unsubstantiated':
      return running('feedback', state.feedbackDeadline, state.verifiedAt);
    default:
      return null;
  }
}

export interface ScheduledTipStep {
  /** (tip, limit, step): recorded once on the tip's log. */
  key: string;
  limit: TipLimit;
  step: TipLimitStep;
  /** Its nominal time, moved into office hours if not urgent. */
  dueAt: Date;
  rung: TipLimitRung;
}

export interface DueTipStep extends ScheduledTipStep {
  /** Missed while the system was down (not merely past when the limit began). */
  late: boolean;
}

/** The CST date `count` working days before `date`. */
function workingDaysBefore(calendar: HolidayCalendar, date: string, count: number): string {
  let current = date;
  let remaining = count;
  while (remaining > 0) {
    current = addCalendarDays(current, -1);
    if (isWorkingDay(calendar, current)) remaining -= 1;
  }
  return current;
}

const dayMs = 24 * 3600 * 1000;

/** A rung's nominal time: `offsetDays` from the deadline (24:00 CST of its last day). */
function nominalTime(deadline: Date, rung: TipLimitRung, calendar: HolidayCalendar): Date {
  if (rung.offsetDays === 0) return deadline;
  if (rung.unit === 'calendar') return new Date(deadline.getTime() + rung.offsetDays * dayMs);
  const lastDay = cstDate(new Date(deadline.getTime() - 1));
  return endOfCstDay(workingDaysBefore(calendar, lastDay, -rung.offsetDays));
}

/** Every step of a limit with its due time, in ladder order. */
export function scheduleTipLimit(input: {
  tipId: string;
  limit: TipLimit;
  deadline: Date;
  limits: TipTimeLimits;
  calendar: HolidayCalendar;
  officeHours: EscalationPolicy['officeHours'];
}): ScheduledTipStep[] {
  return input.limits[input.limit].ladder.map((rung) => {
    const nominal = nominalTime(input.deadline, rung, input.calendar);
    const dueAt = rung.urgent
      ? nominal
      : nextOfficeMoment(nominal, input.calendar, input.officeHours);
    return {
      key: tipStepKey(input.tipId, input.limit, rung.step),
      limit: input.limit,
      step: rung.step,
      dueAt,
      rung,
    };
  });
}

/**
 * What the tip's workflow must do now: the steps of the running limit that are due and not
 * yet recorded, earliest due first, and when to look again: the earliest due time still to
 * come, whatever the ladder order (office hours and holidays can reorder it). Nothing
 * once the tip is final or closed. An extension moves the steps not yet fired (a fired one
 * keeps its key and never fires again); a step already past when its limit began fires at
 * once, not late; one missed while the system was down fires late, once, in order.
 */
export function planTipLimits(input: {
  state: TipState;
  now: Date;
  limits: TipTimeLimits;
  calendar: HolidayCalendar;
  officeHours: EscalationPolicy['officeHours'];
}): { due: DueTipStep[]; nextAt: Date | null } {
  const running = runningLimit(input.state);
  if (!running) return { due: [], nextAt: null };
  const recorded = new Set((input.state.timeLimitSteps ?? []).map((entry) => entry.key));
  const pending = byDueTime(
    scheduleTipLimit({
      tipId: input.state.tipId,
      limit: running.limit,
      deadline: running.deadline,
      limits: input.limits,
      calendar: input.calendar,
      officeHours: input.officeHours,
    }).filter((step) => !recorded.has(step.key)),
  );
  const lateAfter = input.limits.lateAfterMinutes * 60 * 1000;
  const due = pending
    .filter((step) => step.dueAt <= input.now)
    .map((step) => ({
      ...step,
      late: step.dueAt > running.since && input.now.getTime() - step.dueAt.getTime() > lateAfter,
    }));
  const future = pending.filter((step) => step.dueAt > input.now);
  return { due, nextAt: future[0]?.dueAt ?? null };
}
