import { calendarWarnings, type HolidayCalendar } from '../calendar/calendar.ts';
import {
  defaultEscalationPolicy,
  defaultSpreadMinutes,
  type EscalationPolicy,
  type EscalationStep,
  type LadderRung,
} from '../hazards/escalation.ts';
import {
  type JurisdictionRecipient,
  jurisdictionRecipients,
} from '../notifications/jurisdiction-recipients.ts';
import { rewardPolicyFor, type StoredRewardPolicy } from '../rewards/reward-policy.ts';
import type { RewardPolicyView } from '../rewards/reward-policy-schemas.ts';
import { defaultRetention } from '../tips/retention.ts';
import type {
  CalendarYearView,
  EscalationLadderView,
  JurisdictionContactLists,
  JurisdictionContactsView,
  PoliciesView,
  UpdateCalendarYear,
  UpdateEscalationPolicy,
} from './schemas.ts';

/**
 * The policies an administrator edits (DESIGN.md, principle 5; RULES.md, "Time and
 * calendar" and "Default escalation ladder"), as stored and as in force. Pure: the store
 * and its cache are ports (policy-source.ts).
 *
 * - The working-day calendar is national and yearly. In force: the seed (the chinese-days
 *   package, shared/src/data/holiday-calendar.json) merged with the years stored here; a
 *   stored year replaces the seed's year whole.
 * - The escalation ladder is per jurisdiction. In force: the stored one, or the national
 *   default (defaultEscalationPolicy).
 * - The contact lists are per jurisdiction: who its office recipients are (e-mail, mobile,
 *   group robots). In force: the stored ones, or nobody. Personal data: administrators
 *   read them, the notifier resolves addresses with them, and nothing else.
 *
 * Each stored item carries a version that an edit must name (a conditional write): 0 means
 * "nothing stored yet", so the first edit of a seed year or a default ladder names 0.
 */
export interface Edit {
  at: string;
  /** Who edited: kept on the item; only the name is shown. */
  by: { userId: string; name: string };
}

export type CalendarYearData = Omit<UpdateCalendarYear, 'expectedVersion'>;
export type LadderSettings = Omit<UpdateEscalationPolicy, 'expectedVersion'>;

export interface StoredCalendarYear extends CalendarYearData {
  year: number;
  version: number;
  updatedAt: string;
  updatedBy: Edit['by'];
}

export interface StoredEscalationPolicy extends LadderSettings {
  jurisdiction: string;
  version: number;
  updatedAt: string;
  updatedBy: Edit['by'];
}

/** One edit of a jurisdiction's contact lists: who, when, and whose lists it changed. */
export interface ContactsEdit {
  version: number;
  at: string;
  by: Edit['by'];
  changed: JurisdictionRecipient[];
}

export interface StoredJurisdictionContacts {
  jurisdiction: string;
  contacts: JurisdictionContactLists;
  version: number;
  updatedAt: string;
  updatedBy: Edit['by'];
  /** Every edit, oldest first (the values replaced are not kept). */
  edits: ContactsEdit[];
}

export interface StoredPolicies {
  calendarYears: readonly StoredCalendarYear[];
  escalationPolicies: readonly StoredEscalationPolicy[];
  /** Per jurisdiction; absent or missing one: the national rule (rewards/reward-policy.ts). */
  rewardPolicies?: readonly StoredRewardPolicy[];
}

/** The calendar in force: the seed's years, each replaced by a stored one if there is one. */
export function effectiveCalendar(
  seed: HolidayCalendar,
  stored: readonly StoredCalendarYear[],
): HolidayCalendar {
  const years: HolidayCalendar['years'] = { ...seed.years };
  for (const year of stored) {
    years[String(year.year)] = { holidays: year.holidays, workdays: year.workdays };
  }
  return { years };
}

/** Every year in force, oldest first, with where it comes from and its version. */
export function calendarYears(
  seed: HolidayCalendar,
  stored: readonly StoredCalendarYear[],
): CalendarYearView[] {
  const byYear = new Map(stored.map((year) => [year.year, year]));
  const all = new Set([...Object.keys(seed.years).map(Number), ...byYear.keys()]);
  return [...all]
    .sort((a, b) => a - b)
    .map((year) => {
      const edited = byYear.get(year);
      return edited ? storedYearView(edited) : seedYearView(seed, year);
    });
}

export function storedYearView(year: StoredCalendarYear): CalendarYearView {
  return {
    year: year.year,
    holidays: [...year.holidays],
    workdays: [...year.workdays],
    version: year.version,
    source: 'administrator',
    updatedAt: year.updatedAt,
    updatedBy: year.updatedBy.name,
  };
}

function seedYearView(seed: HolidayCalendar, year: number): CalendarYearView {
  const days = seed.years[String(year)];
  return {
    year,
    holidays: [...(days?.holidays ?? [])],
    workdays: [...(days?.workdays ?? [])],
    version: 0,
    source: 'seed',
  };
}

/** One year as in force (for a 409: what the editor should reload). */
export function calendarYearView(
  seed: HolidayCalendar,
  stored: readonly StoredCalendarYear[],
  year: number,
): CalendarYearView {
  const edited = stored.find((candidate) => candidate.year === year);
  return edited ? storedYearView(edited) : seedYearView(seed, year);
}

const defaultRungs = new Map<EscalationStep, LadderRung>(
  defaultEscalationPolicy.ladder.map((rung) => [rung.step, rung]),
);

/** The ladder in force in a jurisdiction: its stored one, or the national default. */
export function escalationPolicyFor(
  jurisdiction: string,
  stored: StoredEscalationPolicy | undefined,
): EscalationPolicy {
  if (!stored) return defaultEscalationPolicy;
  return {
    version: `${jurisdiction}-${stored.version}`,
    source: `edited for ${jurisdiction} by an administrator at ${stored.updatedAt}`,
    ladder: stored.ladder.map((rung) => ({
      step: rung.step,
      offsetDays: rung.offsetDays,
      urgent: rung.urgent,
      recipients: [...rung.recipients],
      name: defaultRungs.get(rung.step)?.name ?? { zh: rung.step, en: rung.step },
    })),
    officeHours: { ...stored.officeHours },
    lateAfterMinutes: stored.lateAfterMinutes,
    ...(stored.spreadMinutes !== undefined ? { spreadMinutes: stored.spreadMinutes } : {}),
    // Who signs off and the messages' wording: the administrator's, else the defaults.
    ...(stored.closure
      ? { closure: { ...stored.closure, source: `edited for ${jurisdiction} by an administrator` } }
      : {}),
    ...(stored.messages ? { messages: stored.messages } : {}),
    ...(stored.tipLimits ? { tipLimits: stored.tipLimits } : {}),
    ...(stored.lookBack ? { lookBack: stored.lookBack } : {}),
  };
}

/** A tip's limits until a jurisdiction stores its own (tips/time-limits.ts's defaults). */
export const nationalTipLimitDays = { acceptDays: 3, verifyDays: 60, feedbackDays: 10 } as const;

/** Look-back until a jurisdiction stores its own (hazards/look-back.ts's defaults). */
export const defaultLookBack = { afterDays: 30, generalSamplePercent: 20 } as const;

/** A jurisdiction's ladder as administrators read it. */
export function escalationLadderView(
  jurisdiction: string,
  stored: StoredEscalationPolicy | undefined,
): EscalationLadderView {
  const policy = escalationPolicyFor(jurisdiction, stored);
  return {
    jurisdiction,
    ladder: policy.ladder.map((rung) => ({
      step: rung.step,
      offsetDays: rung.offsetDays,
      urgent: rung.urgent,
      recipients: [...rung.recipients],
      name: rung.name,
    })),
    officeHours: { ...policy.officeHours },
    lateAfterMinutes: policy.lateAfterMinutes,
    spreadMinutes: policy.spreadMinutes ?? defaultSpreadMinutes,
    ...(stored?.closure ? { closure: structuredClone(stored.closure) } : {}),
    ...(stored?.messages ? { messages: structuredClone(stored.messages) } : {}),
    tipLimits: { ...(stored?.tipLimits ?? nationalTipLimitDays) },
    lookBack: { ...(stored?.lookBack ?? defaultLookBack) },
    retention: { ...(stored?.retention ?? defaultRetention) },
    ...(stored
      ? {
          version: stored.version,
          source: 'administrator' as const,
          updatedAt: stored.updatedAt,
          updatedBy: stored.updatedBy.name,
        }
      : { version: 0, source: 'national_default' as const }),
  };
}

/**
 * What GET /api/admin/policies answers: every calendar year in force with the warnings it
 * leaves, and the ladders and reward policies of the jurisdictions named (the caller's own).
 */
export function policiesView(input: {
  seed: HolidayCalendar;
  stored: StoredPolicies;
  jurisdictions: readonly string[];
  now: Date;
}): PoliciesView {
  const { seed, stored } = input;
  const byJurisdiction = new Map(
    stored.escalationPolicies.map((policy) => [policy.jurisdiction, policy]),
  );
  const rewardsByJurisdiction = new Map(
    (stored.rewardPolicies ?? []).map((policy) => [policy.jurisdiction, policy]),
  );
  return {
    calendar: {
      years: calendarYears(seed, stored.calendarYears),
      warnings: calendarWarnings(effectiveCalendar(seed, stored.calendarYears), input.now),
    },
    escalation: input.jurisdictions.map((code) =>
      escalationLadderView(code, byJurisdiction.get(code)),
    ),
    rewards: input.jurisdictions.map((code) =>
      rewardPolicyView(code, rewardsByJurisdiction.get(code)),
    ),
  };
}

/** A jurisdiction's reward policy as administrators read it: its own, or the national rule. */
export function rewardPolicyView(
  jurisdiction: string,
  stored: StoredRewardPolicy | undefined,
): RewardPolicyView {
  // A copy by JSON: nothing of the stored item (or the national constant) is shared.
  const { version: policyVersion, ...settings } = JSON.parse(
    JSON.stringify(rewardPolicyFor(jurisdiction, stored)),
  ) as ReturnType<typeof rewardPolicyFor>;
  return {
    jurisdiction,
    policyVersion,
    ...settings,
    ...(stored
      ? {
          version: stored.version,
          origin: 'administrator' as const,
          updatedAt: stored.updatedAt,
          updatedBy: stored.updatedBy.name,
        }
      : { version: 0, origin: 'national_default' as const }),
  };
}

const noContacts = (): JurisdictionContactLists => ({
  assigned_officer: [],
  jurisdiction_departments: [],
  department_head: [],
  leader_in_charge: [],
  principal_leader: [],
  reward_officer: [],
});

/** The recipients whose contacts differ between two versions of the lists (order counts). */
export function changedRecipients(
  before: JurisdictionContactLists | undefined,
  after: JurisdictionContactLists,
): JurisdictionRecipient[] {
  const old = before ?? noContacts();
  return jurisdictionRecipients.filter(
    (recipient) => JSON.stringify(old[recipient] ?? []) !== JSON.stringify(after[recipient] ?? []),
  );
}

/** A jurisdiction's contact lists as its administrators read them. */
export function jurisdictionContactsView(
  jurisdiction: string,
  stored: StoredJurisdictionContacts | undefined,
): JurisdictionContactsView {
  const lists = stored?.contacts ?? noContacts();
  const contacts = noContacts();
  for (const recipient of jurisdictionRecipients) {
    contacts[recipient] = (lists[recipient] ?? []).map((contact) => ({ ...contact }));
  }
  if (!stored) return { jurisdiction, contacts, version: 0, edits: [] };
  return {
    jurisdiction,
    contacts,
    version: stored.version,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy.name,
    edits: stored.edits.map((edit) => ({
      version: edit.version,
      at: edit.at,
      by: edit.by.name,
      changed: [...edit.changed],
    })),
  };
}
