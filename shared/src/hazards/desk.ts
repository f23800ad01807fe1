import { addCalendarDays, cstDate } from '../calendar/calendar.ts';
import type { TipStatus } from '../tips/tip-state.ts';
import type { HazardGrade, LedgerStatus } from './hazard.ts';

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
  /** An extension the officer asked for waits on the department head. */
  pendingExtension?: boolean;
  /** When each escalation step was recorded (withdrawn ones left out). */
  escalatedAt?: readonly string[];
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

/** Tips waiting for the office: not yet accepted, being checked, or found true. */
export const deskTipStatuses = [
  'received',
  'accepted',
  'investigating',
  'substantiated',
] as const satisfies readonly TipStatus[];

/** Days (CST calendar days, today included) within which a deadline is "due soon". */
export const dueSoonDays = 3;

export interface DeskCounts {
  hazards: Record<(typeof deskLedgerStatuses)[number], number>;
  /** Rectifying hazards whose deadline has passed. */
  overdue: number;
  /** Rectifying hazards due by the end of the third CST day from today. */
  dueSoon: number;
  /** Open major hazards: the campaign's zeroing count (清零). */
  openMajor: number;
  /** Extension requests waiting for the department head's decision. */
  pendingExtensions: number;
  /** Escalation steps recorded today (CST) on open hazards: what the leaders hear of. */
  escalationsToday: number;
  tips: Record<(typeof deskTipStatuses)[number], number>;
}

/** One of the signed-in person's open cases, as the desk lists it. */
export interface MyCase {
  hazardId: string;
  place: string;
  grade: HazardGrade;
  status: (typeof openLedgerStatuses)[number];
  deadline?: string;
  /** Rectifying against a deadline: how it stands (deadlineStanding). */
  standing?: 'overdue' | 'due_soon' | 'later';
}

/**
 * "My cases" (我的案件): the open hazards (reported, rectifying, verifying) the person
 * recorded. The officer who records a hazard carries it through rectification, verification
 * and closure (nobody reassigns it), so recordedBy is whose case it is; a closed one leaves.
 * Soonest deadline first (overdue at the top), hazards without a deadline after.
 */
export function myCases(
  ledger: Record<(typeof openLedgerStatuses)[number], readonly LedgerEntry[]>,
  person: string,
  now: Date,
): MyCase[] {
  const cases = openLedgerStatuses.flatMap((status) =>
    ledger[status]
      .filter((entry) => entry.recordedBy === person && entry.hazardId)
      .map((entry): MyCase => {
        const { deadline } = entry;
        return {
          hazardId: entry.hazardId ?? '',
          place: entry.place ?? '',
          grade: entry.grade,
          status,
          ...(deadline ? { deadline } : {}),
          ...(deadline && status === 'rectifying'
            ? { standing: deadlineStanding(deadline, now) }
            : {}),
        };
      }),
  );
  // Code-unit order (ISO instants; '~' after every digit), not the locale's.
  const key = (entry: MyCase) => entry.deadline ?? '~';
  return cases.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
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
  ledger: Record<(typeof deskLedgerStatuses)[number], readonly LedgerEntry[]>,
  tips: Record<(typeof deskTipStatuses)[number], number>,
  now: Date,
): DeskCounts {
  let overdue = 0;
  let dueSoon = 0;
  for (const entry of ledger.rectifying) {
    if (!entry.deadline) continue;
    const standing = deadlineStanding(entry.deadline, now);
    if (standing === 'overdue') overdue += 1;
    if (standing === 'due_soon') dueSoon += 1;
  }
  const open = openLedgerStatuses.flatMap((status) => ledger[status]);
  const openMajor = open.filter((entry) => entry.grade === 'major').length;
  const pendingExtensions = ledger.rectifying.filter((entry) => entry.pendingExtension).length;
  const today = cstDate(now);
  const escalationsToday = open
    .flatMap((entry) => entry.escalatedAt ?? [])
    .filter((at) => cstDate(new Date(at)) === today).length;
  const hazards = Object.fromEntries(
    deskLedgerStatuses.map((status) => [status, ledger[status].length]),
  ) as DeskCounts['hazards'];
  return {
    hazards,
    overdue,
    dueSoon,
    openMajor,
    pendingExtensions,
    escalationsToday,
    tips: { ...tips },
  };
}

/**
 * The ledger tab to open when the address names none: the first open status with hazards
 * in it (what needs doing), else the first tab.
 */
export function openingStatus(hazards: DeskCounts['hazards']): LedgerStatus {
  return openLedgerStatuses.find((status) => hazards[status] > 0) ?? 'reported';
}
