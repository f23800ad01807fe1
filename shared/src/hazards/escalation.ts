import type { Role } from '../auth/principal.ts';
import type { HolidayCalendar } from '../calendar/calendar.ts';
import { addCalendarDays, cstDate, isWorkingDay } from '../calendar/calendar.ts';
import type { Bilingual } from '../i18n/text.ts';

/**
 * The escalation ladder (RULES.md, "Default escalation ladder" and "How the ladder
 * behaves"): policy data, and a pure planner that says which steps are due at a moment
 * and when to look again. No I/O: the workflow asks, records, and waits.
 */
export type EscalationStep =
  | 'reminder'
  | 'notice_letter'
  | 'circular'
  | 'summons'
  | 'public_exposure';

export type Recipient =
  | 'enterprise_principal'
  | 'enterprise_controller'
  | 'assigned_officer'
  | 'jurisdiction_departments'
  | 'department_head'
  | 'leader_in_charge'
  | 'principal_leader'
  | 'public_page';

export interface LadderRung {
  step: EscalationStep;
  /** Days from the rectification deadline (negative: before it). */
  offsetDays: number;
  /** Urgent steps go out at once; the others wait for office hours. */
  urgent: boolean;
  recipients: readonly Recipient[];
  name: Bilingual;
}

/** Who signs off (销号) a verified major hazard: closure.ts applies it. */
export type SignOffRole = Extract<Role, 'officer' | 'department_head'>;
export interface ClosurePolicy {
  /**
   * A second person, never its verifier: the department head by default; `officer` lets
   * any other officer of the jurisdiction sign.
   */
  majorSignOff: SignOffRole;
  source: string;
}

/** A step's message template (placeholders: notifications/escalation-messages.ts). */
export interface EscalationTemplate {
  subject: Bilingual;
  body: Bilingual;
  /** What the step asks of each recipient; `default` for a recipient not named. */
  expected: { default: Bilingual } & Partial<Record<Recipient, Bilingual>>;
}
/** A jurisdiction's changes to the default templates: any part of any step's. */
export type EscalationTemplateOverrides = Partial<
  Record<
    EscalationStep,
    Partial<Omit<EscalationTemplate, 'expected'>> & {
      expected?: Partial<EscalationTemplate['expected']>;
    }
  >
>;

export interface EscalationPolicy {
  version: string;
  source: string;
  ladder: readonly LadderRung[];
  /** Office hours in CST, on working days: non-urgent messages go out in them. */
  officeHours: { startHour: number; endHour: number };
  /** A step recorded more than this after its time is marked late. */
  lateAfterMinutes: number;
  /**
   * Non-urgent steps that fall at the start of office hours come due over this many
   * minutes, each hazard at its own fixed offset (spreadOffsetMs); absent:
   * defaultSpreadMinutes; 0: all at the start, as the rule alone says.
   */
  spreadMinutes?: number;
  /** Who signs off a major hazard; absent: defaultClosurePolicy (closure.ts). */
  closure?: ClosurePolicy;
  /** A jurisdiction's wording of the steps' messages; absent: the defaults. */
  messages?: EscalationTemplateOverrides;
  /**
   * The lengths of a tip's time limits here, kept with the ladder (one policy item per
   * jurisdiction; tips/time-limits.ts: tipTimeLimitsFor); absent: the defaults.
   */
  tipLimits?: { acceptDays: number; verifyDays: number; feedbackDays: number };
  /** Look-back re-inspection here (look-back.ts: lookBackPolicyFor); absent: the defaults. */
  lookBack?: { afterDays: number; generalSamplePercent: number };
  /**
   * How long tips keep sealed personal data here (tips/retention.ts); absent: the default.
   * Stored with the ladder, read by the retention sweep alone (from the stored policy).
   */
  retention?: { sealedDataDays: number };
}

export const defaultEscalationPolicy: EscalationPolicy = {
  version: 'national-default-1',
  source: 'RULES.md: default ladder chosen for this system from the five local plans',
  ladder: [
    {
      step: 'reminder',
      offsetDays: -3,
      urgent: false,
      recipients: ['enterprise_principal', 'assigned_officer'],
      name: { zh: '到期提醒', en: 'Reminder' },
    },
    {
      step: 'notice_letter',
      offsetDays: 0,
      urgent: false,
      recipients: ['enterprise_principal', 'enterprise_controller'],
      name: { zh: '函告', en: 'Notice letter' },
    },
    {
      step: 'circular',
      offsetDays: 7,
      urgent: false,
      recipients: ['jurisdiction_departments', 'department_head'],
      name: { zh: '通报', en: 'Circular' },
    },
    {
      step: 'summons',
      offsetDays: 14,
      urgent: true,
      recipients: ['leader_in_charge'],
      name: { zh: '约谈', en: 'Summons' },
    },
    {
      step: 'public_exposure',
      offsetDays: 30,
      urgent: true,
      recipients: ['principal_leader', 'public_page'],
      name: { zh: '曝光、挂牌督办', en: 'Public exposure and listed supervision' },
    },
  ],
  officeHours: { startHour: 9, endHour: 18 },
  lateAfterMinutes: 15,
  spreadMinutes: 30,
};

/**
 * Half an hour: every step held over a weekend or a holiday falls at 09:00 of the next
 * working day, hundreds at once; over 30 minutes ten thousand hazards wake about five a
 * second, and each letter still comes in the first half hour of the office day (an hour
 * would halve that rate but hold letters to 10:00 for no gain a recipient sees).
 */
export const defaultSpreadMinutes = 30;

const hourMs = 3600 * 1000;
const cstOffsetMs = 8 * hourMs;

/** The CST hour of an instant (0–23.99). */
function cstHour(instant: Date): number {
  return ((instant.getTime() + cstOffsetMs) % (24 * hourMs)) / hourMs;
}

function atCstHour(date: string, hour: number): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - cstOffsetMs + hour * hourMs);
}

/** The first moment at or after `instant` inside office hours on a working day (CST). */
export function nextOfficeMoment(
  instant: Date,
  calendar: HolidayCalendar,
  officeHours: EscalationPolicy['officeHours'],
): Date {
  let date = cstDate(instant);
  const hour = cstHour(instant);
  if (isWorkingDay(calendar, date) && hour >= officeHours.startHour && hour < officeHours.endHour) {
    return instant;
  }
  if (!(isWorkingDay(calendar, date) && hour < officeHours.startHour)) {
    date = addCalendarDays(date, 1);
    while (!isWorkingDay(calendar, date)) date = addCalendarDays(date, 1);
  }
  return atCstHour(date, officeHours.startHour);
}

/** 32-bit FNV-1a of a string: the same number in every process, on every restart. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A hazard's fixed offset after the start of office hours, in milliseconds: below the
 * policy's spread window and below the office day's length (so it never leaves office
 * hours). Of the hazard alone, not of its round or step: one hazard's steps that meet on
 * one morning keep their ladder order, and a re-plan, a restart or another process (the
 * reconciler, the bench's judge) computes the same instant.
 */
export function spreadOffsetMs(
  hazardId: string,
  policy: Pick<EscalationPolicy, 'spreadMinutes' | 'officeHours'>,
): number {
  const officeMs = (policy.officeHours.endHour - policy.officeHours.startHour) * hourMs;
  const windowMs = Math.min((policy.spreadMinutes ?? defaultSpreadMinutes) * 60_000, officeMs);
  return windowMs > 0 ? fnv1a(hazardId) % windowMs : 0;
}

/**
 * When a non-urgent step falls due: its next office moment, but not before the hazard's
 * place in the spread window of that office day. A step already later in the day keeps its
 * time, so due times never run against ladder order, and none is earlier than the rule.
 */
export function officeDueAt(
  nominal: Date,
  hazardId: string,
  policy: Pick<EscalationPolicy, 'spreadMinutes' | 'officeHours'>,
  calendar: HolidayCalendar,
): Date {
  const moment = nextOfficeMoment(nominal, calendar, policy.officeHours);
  const dayStart = atCstHour(cstDate(moment), policy.officeHours.startHour).getTime();
  return new Date(Math.max(moment.getTime(), dayStart + spreadOffsetMs(hazardId, policy)));
}

export interface Round {
  /** 1 for the first deadline; a failed verification or a reopening starts the next. */
  number: number;
  deadline: Date;
  startedAt: Date;
  /**
   * An imported backlog's round (backlog.ts): the steps due at or before this instant were
   * reached in the paper ledger, before the system held the hazard. They count as reached
   * and are never sent; the ladder goes on from the next one.
   */
  reachedBefore?: Date;
}

export interface ScheduledStep {
  step: EscalationStep;
  /** (hazard, round, step): recorded once on the hazard's log. */
  key: string;
  /**
   * When the step falls due: its nominal time; if not urgent, moved into office hours and
   * spread over the start of the office day (officeDueAt).
   */
  dueAt: Date;
  rung: LadderRung;
}

export interface DueStep extends ScheduledStep {
  /** Missed while the system was down (not merely past when the round began). */
  late: boolean;
}

export const stepKey = (hazardId: string, round: number, step: EscalationStep) =>
  `${hazardId}#${round}#${step}`;

/** Every step of a round with its due time, in ladder order. */
export function scheduleRound(
  hazardId: string,
  round: Round,
  policy: EscalationPolicy,
  calendar: HolidayCalendar,
): ScheduledStep[] {
  return policy.ladder.map((rung) => {
    const nominal = new Date(round.deadline.getTime() + rung.offsetDays * 24 * hourMs);
    const dueAt = rung.urgent ? nominal : officeDueAt(nominal, hazardId, policy, calendar);
    return { step: rung.step, key: stepKey(hazardId, round.number, rung.step), dueAt, rung };
  });
}

/**
 * Steps in the order they fall due: earliest first, ladder order among equals. Office
 * hours and holidays can push a non-urgent step past a later urgent one (a circular
 * moved past the Spring Festival falls due after the summons), so ladder order is not
 * due order.
 */
export function byDueTime<Step extends { dueAt: Date }>(steps: readonly Step[]): Step[] {
  return steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.dueAt.getTime() - b.step.dueAt.getTime() || a.index - b.index)
    .map(({ step }) => step);
}

/**
 * What the workflow must do now: the steps due and not yet recorded, earliest due first,
 * and when to look again: the earliest due time of the steps still to come (whatever
 * their ladder order). Nothing is due once the hazard is closed. A step already past when
 * its round began fires at once (not late); one missed while the system was down fires
 * late, once, in order.
 */
export function planEscalation(input: {
  hazardId: string;
  round: Round;
  recorded: ReadonlySet<string>;
  closed: boolean;
  now: Date;
  policy: EscalationPolicy;
  calendar: HolidayCalendar;
}): { due: DueStep[]; nextAt: Date | null } {
  if (input.closed) return { due: [], nextAt: null };
  const schedule = scheduleRound(input.hazardId, input.round, input.policy, input.calendar);
  const reachedBefore = input.round.reachedBefore?.getTime() ?? Number.NEGATIVE_INFINITY;
  const pending = byDueTime(
    schedule.filter(
      (step) => !input.recorded.has(step.key) && step.dueAt.getTime() > reachedBefore,
    ),
  );
  const lateAfter = input.policy.lateAfterMinutes * 60 * 1000;
  const due = pending
    .filter((step) => step.dueAt <= input.now)
    .map((step) => ({
      ...step,
      late:
        step.dueAt > input.round.startedAt &&
        input.now.getTime() - step.dueAt.getTime() > lateAfter,
    }));
  // Sorted by due time: the first step still to come is the earliest one.
  const future = pending.filter((step) => step.dueAt > input.now);
  return { due, nextAt: future[0]?.dueAt ?? null };
}
