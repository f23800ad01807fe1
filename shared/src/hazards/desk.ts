import type { Role } from '../auth/principal.ts';
import { addCalendarDays, cstDate } from '../calendar/calendar.ts';
import type { TipStatus } from '../tips/tip-state.ts';
import { type DeskCardKey, deskCardKeys, type MyCaseReason } from './desk-card-keys.ts';
import type { EscalationStep, SignOffRole } from './escalation.ts';
import type { HazardGrade, LedgerStatus } from './hazard.ts';

export {
  type DeskCardKey,
  deskCardKeys,
  isDeskCardKey,
  type MyCaseReason,
  myCaseReasonKeys,
} from './desk-card-keys.ts';

/**
 * The office desk (工作台): what needs doing in a jurisdiction, counted from the ledger's
 * and the inbox's index partitions as of the clock. Pure: the handler reads the entries,
 * this decides what they mean.
 */

/** What the desk reads of a hazard on the ledger index: its grade and current deadline. */
export interface LedgerEntry {
  hazardId?: string;
  place?: string;
  /** The office user who recorded it (HazardState.recordedBy). */
  recordedBy?: string;
  grade: HazardGrade;
  /** The current round's deadline (an instant: 24:00 CST of the deadline date), if any. */
  deadline?: string;
  /** The current round's number (escalation steps belong to a round). */
  round?: number;
  /** An extension the officer asked for waits on the department head. */
  pendingExtension?: boolean;
  /** The escalation steps recorded (withdrawn ones left out), with their round. */
  steps?: readonly { step: EscalationStep; round: number; at: string }[];
  /** When each summons was recorded as held (约谈). */
  summonsHeldAt?: readonly string[];
  /** Listed supervision (挂牌督办) in force: placed, not lifted. */
  listed?: boolean;
  /** Public exposure (曝光) in force: approved, not withdrawn. */
  exposed?: boolean;
  /** The current round's fix passed verification: closing (销号) waits on its signer. */
  verified?: boolean;
}

/** The ledger statuses the desk counts, open ones first. */
export const deskLedgerStatuses = [
  'reported',
  'rectifying',
  'verifying',
  'closed_look_back',
  'closed',
] as const satisfies readonly LedgerStatus[];

export const openLedgerStatuses = ['reported', 'rectifying', 'verifying'] as const;

type DeskStatus = (typeof deskLedgerStatuses)[number];
type DeskLedger = Record<DeskStatus, readonly LedgerEntry[]>;

/** Tips waiting for the office: not yet accepted, being checked, or found true. */
export const deskTipStatuses = [
  'received',
  'accepted',
  'investigating',
  'substantiated',
] as const satisfies readonly TipStatus[];

/** Days (CST calendar days, today included) within which a deadline is "due soon". */
export const dueSoonDays = 3;

export interface DeskCounts extends Record<DeskCardKey, number> {
  hazards: Record<DeskStatus, number>;
  tips: Record<(typeof deskTipStatuses)[number], number>;
}

/** A hazard as the desk lists it: behind a card, or among the person's cases. */
export interface DeskHazard {
  hazardId: string;
  place: string;
  grade: HazardGrade;
  status: DeskStatus;
  deadline?: string;
  /** Rectifying against a deadline: how it stands (deadlineStanding). */
  standing?: 'overdue' | 'due_soon' | 'later';
}

/** One of the signed-in person's cases, and why it is theirs (the cards that hold it). */
export interface MyCase extends DeskHazard {
  why: MyCaseReason[];
}

/** What decides a card beside the entry: the clock, and who signs off a verified major hazard. */
export interface DeskContext {
  now: Date;
  /** The jurisdiction's closure policy: who signs off a verified major hazard (closure.ts). */
  majorSignOff: SignOffRole;
}

const isOpen = (status: DeskStatus) => (openLedgerStatuses as readonly string[]).includes(status);

/** Steps of the hazard's current round, not withdrawn. */
const stepsNow = (entry: LedgerEntry, step: EscalationStep) =>
  (entry.steps ?? []).filter((each) => each.step === step && each.round === entry.round);

/**
 * Each card's hazards. Overdue and due soon: rectifying against its deadline (a verifying
 * hazard has its fix in). Escalated today: open hazards with a step recorded today (CST),
 * counted once however many steps. A summons to hold: the summons step (约谈) of the current
 * round fired and no summons was recorded as held since. Exposure to approve: the exposure
 * step (曝光) fired on a hazard still rectifying or being checked, and no exposure is in
 * force. Listed supervision and exposure in force count whatever the status: a closed
 * hazard keeps them until a leader lifts or withdraws them. To sign off: a verifying
 * hazard whose fix passed, of the grade the department head signs off (closure.ts).
 */
export const deskCards: Record<
  DeskCardKey,
  (entry: LedgerEntry, status: DeskStatus, context: DeskContext) => boolean
> = {
  overdue: (entry, status, { now }) =>
    status === 'rectifying' &&
    !!entry.deadline &&
    deadlineStanding(entry.deadline, now) === 'overdue',
  dueSoon: (entry, status, { now }) =>
    status === 'rectifying' &&
    !!entry.deadline &&
    deadlineStanding(entry.deadline, now) === 'due_soon',
  openMajor: (entry, status) => isOpen(status) && entry.grade === 'major',
  pendingExtensions: (entry, status) => status === 'rectifying' && !!entry.pendingExtension,
  awaitingSignOff: (entry, status, { majorSignOff }) =>
    status === 'verifying' &&
    !!entry.verified &&
    (entry.grade === 'major' ? majorSignOff : 'officer') === 'department_head',
  escalationsToday: (entry, status, { now }) =>
    isOpen(status) &&
    (entry.steps ?? []).some((step) => cstDate(new Date(step.at)) === cstDate(now)),
  summonsToHold: (entry, status) => {
    if (!isOpen(status)) return false;
    const fired = stepsNow(entry, 'summons').at(-1)?.at;
    return !!fired && !(entry.summonsHeldAt ?? []).some((held) => held >= fired);
  },
  listedSupervisions: (entry) => !!entry.listed,
  exposureToApprove: (entry, status) =>
    (status === 'rectifying' || status === 'verifying') &&
    !entry.exposed &&
    stepsNow(entry, 'public_exposure').length > 0,
  exposed: (entry) => !!entry.exposed,
};

/** The hazards behind one card, soonest deadline first (overdue at the top), undated last. */
export function deskCardHazards(
  ledger: DeskLedger,
  card: DeskCardKey,
  context: DeskContext,
): DeskHazard[] {
  return bySoonestDeadline(
    deskLedgerStatuses.flatMap((status) =>
      ledger[status]
        .filter((entry) => deskCards[card](entry, status, context))
        .map((entry) => deskHazard(entry, status, context.now)),
    ),
  );
}

function deskHazard(entry: LedgerEntry, status: DeskStatus, now: Date): DeskHazard {
  const { deadline } = entry;
  return {
    hazardId: entry.hazardId ?? '',
    place: entry.place ?? '',
    grade: entry.grade,
    status,
    ...(deadline ? { deadline } : {}),
    ...(deadline && status === 'rectifying' ? { standing: deadlineStanding(deadline, now) } : {}),
  };
}

function bySoonestDeadline<Item extends DeskHazard>(items: Item[]): Item[] {
  // Code-unit order (ISO instants; '~' after every digit), not the locale's.
  const key = (entry: Item) => entry.deadline ?? '~';
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Whose case a hazard is, by role. An officer: the open hazards they recorded (the officer
 * who records a hazard carries it to closure; nobody reassigns it). A department head: those
 * waiting for their decision, an extension or a sign-off. The leader in charge: summonses
 * to hold. The principal leader: summonses to hold, listed supervisions in force (theirs to
 * place and lift) and exposures to approve. Leaders act for the jurisdiction, so a leader's
 * cases are the jurisdiction's, whoever of them acted before.
 */
export const myCaseReasons: Record<Role, readonly MyCaseReason[]> = {
  officer: ['recorded'],
  department_head: ['pendingExtensions', 'awaitingSignOff'],
  leader_in_charge: ['summonsToHold'],
  principal_leader: ['summonsToHold', 'listedSupervisions', 'exposureToApprove'],
  reward_officer: [],
  administrator: [],
};

/**
 * "My cases" (我的案件): the hazards that are the person's by any of their roles, each once
 * with every reason it is theirs, soonest deadline first, hazards without a deadline after.
 */
export function myCases(
  ledger: DeskLedger,
  person: { userId: string; roles: readonly Role[] },
  context: DeskContext,
): MyCase[] {
  const reasons = new Set(person.roles.flatMap((role) => myCaseReasons[role]));
  const cases: MyCase[] = [];
  for (const status of deskLedgerStatuses) {
    for (const entry of ledger[status]) {
      if (!entry.hazardId) continue;
      const why = [...reasons].filter((reason) =>
        reason === 'recorded'
          ? isOpen(status) && entry.recordedBy === person.userId
          : deskCards[reason](entry, status, context),
      );
      if (why.length > 0) cases.push({ ...deskHazard(entry, status, context.now), why });
    }
  }
  return bySoonestDeadline(cases);
}

/**
 * Overdue: the deadline instant is at or before now. Due soon: not overdue, and the
 * deadline's CST date is no later than today + dueSoonDays − 1 (today, tomorrow, the day
 * after). Only rectifying hazards run against a deadline; a verifying one has its fix in.
 */
export function deadlineStanding(deadline: string, now: Date): 'overdue' | 'due_soon' | 'later' {
  const at = Date.parse(deadline);
  if (at <= now.getTime()) return 'overdue';
  const deadlineDate = cstDate(new Date(at - 1));
  return deadlineDate <= addCalendarDays(cstDate(now), dueSoonDays - 1) ? 'due_soon' : 'later';
}

export function deskCounts(
  ledger: DeskLedger,
  tips: Record<(typeof deskTipStatuses)[number], number>,
  context: DeskContext,
): DeskCounts {
  const hazards = Object.fromEntries(
    deskLedgerStatuses.map((status) => [status, ledger[status].length]),
  ) as DeskCounts['hazards'];
  // Each count is the length of the card's own list: what a click on it opens.
  const cards = Object.fromEntries(
    deskCardKeys.map((card) => [card, deskCardHazards(ledger, card, context).length]),
  ) as Record<DeskCardKey, number>;
  return { hazards, ...cards, tips: { ...tips } };
}

/**
 * The ledger tab to open when the address names none: the first open status with hazards
 * in it (what needs doing), else the first tab.
 */
export function openingStatus(hazards: DeskCounts['hazards']): LedgerStatus {
  return openLedgerStatuses.find((status) => hazards[status] > 0) ?? 'reported';
}
