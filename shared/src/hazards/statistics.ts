import { cstDate } from '../calendar/calendar.ts';
import {
  closedSpans,
  dayOfInstant,
  type HazardHistory,
  overdueSpans,
  type Span,
} from './history.ts';

/**
 * Statistics (分区域、分行业统计分析) from counters, not from the hazards: every hazard is a
 * member of one bucket, (its jurisdiction, the month it was found), and the bucket keeps
 * each member's compact code and the count cells its members add up to. Reading a
 * jurisdiction's statistics reads its buckets (months × jurisdictions), never its hazards.
 * Pure: the adapter moves a member's counts from its old code's cells to its new code's
 * in one conditional write; this module says what a code is, its cells, and what the cells
 * mean.
 */

type HazardGrade = 'general' | 'major';
type HazardStatus = 'reported' | 'rectifying' | 'verifying' | 'closed';

/**
 * What the statistics read of a hazard's state (HazardState has it all; named here so that
 * hazard.ts can name this module's tally without an import circle).
 */
export interface HazardState {
  hazardId: string;
  jurisdiction: string;
  /** The village or community (村/社区) of the jurisdiction, when one was named. */
  unit?: string;
  industry: string;
  grade: HazardGrade;
  status: HazardStatus;
  reportedAt: string;
  foundOn?: string;
  round: { deadline: string } | null;
  closedAt?: string;
  /** The ladder's steps recorded (the weekly report counts those fired in its week). */
  escalations?: readonly { at: string; withdrawn?: boolean }[];
  /** The spans that have ended, for counting as of a past day (history.ts). */
  history?: HazardHistory;
}

/** A hazard's part in the statistics, as of one version of its log. */
export interface StatisticsCode {
  /** The log's sequence this code was computed at: a bucket never takes an older one. */
  version: number;
  grade: HazardGrade;
  industry: string;
  status: HazardStatus;
  /** The CST date found. */
  foundOn: string;
  /** While rectifying: the CST date of the deadline (it ends at 24:00 of that day). */
  deadlineOn?: string;
  /** Once closed: the CST date closed, and whether by the round's deadline. */
  closedOn?: string;
  onTime?: boolean;
  /** The CST dates of its escalation steps recorded and not withdrawn, in order. */
  escalatedOn?: string[];
  /** Its village or community (村/社区); none: '' (counted as "no unit"). */
  unit: string;
  /**
   * CST days [from, to) whose ends it was past its deadline while rectifying, and closed
   * (from the day found at the earliest): history.ts's spans by `dayOfInstant`; `to` '' for
   * the span under way.
   */
  overdue?: DaySpan[];
  closed?: DaySpan[];
}

type DaySpan = [from: string, to: string];

/** Spans as the days whose ends they cover, none before `floor` (a date), empty ones left out. */
function daySpans(spans: readonly Span[], floor = ''): DaySpan[] {
  const days: DaySpan[] = [];
  for (const span of spans) {
    const fromDay = dayOfInstant(span.from);
    const from = fromDay < floor ? floor : fromDay;
    const toDay = span.to === Number.POSITIVE_INFINITY ? '' : dayOfInstant(span.to);
    const to = toDay && toDay < floor ? floor : toDay;
    if (to && to <= from) continue;
    days.push([from, to]);
  }
  return days;
}

const encodeSpans = (spans: readonly DaySpan[] = []) =>
  spans.map(([from, to]) => `${from}~${to}`).join(',');
const decodeSpans = (text: string) => text.split(',').map((pair) => pair.split('~') as DaySpan);

const statusLetters: Record<HazardStatus, string> = {
  reported: 'r',
  rectifying: 'x',
  verifying: 'v',
  closed: 'c',
};
const letterStatuses = Object.fromEntries(
  Object.entries(statusLetters).map(([status, letter]) => [letter, status]),
) as Record<string, HazardStatus>;

/** The CST date of a deadline instant (24:00 CST of date D is D's end, not D + 1). */
const deadlineDate = (deadline: string) => cstDate(new Date(Date.parse(deadline) - 1));

export function codeOf(state: HazardState, version: number): StatisticsCode {
  const foundOn = state.foundOn ?? cstDate(new Date(state.reportedAt));
  const code: StatisticsCode = {
    version,
    grade: state.grade,
    industry: state.industry,
    status: state.status,
    foundOn,
    unit: state.unit ?? '',
  };
  if (state.status === 'rectifying' && state.round)
    code.deadlineOn = deadlineDate(state.round.deadline);
  if (state.status === 'closed' && state.closedAt) {
    code.closedOn = cstDate(new Date(state.closedAt));
    code.onTime = state.round
      ? Date.parse(state.closedAt) <= Date.parse(state.round.deadline)
      : true;
  }
  const escalatedOn = escalationDates(state);
  if (escalatedOn.length) code.escalatedOn = escalatedOn;
  const overdue = daySpans(overdueSpans(state));
  if (overdue.length) code.overdue = overdue;
  const closed = daySpans(closedSpans(state), foundOn);
  if (closed.length) code.closed = closed;
  return code;
}

/** The CST dates its escalation steps fired on (a withdrawn step never reached anyone). */
export const escalationDates = (state: Pick<HazardState, 'escalations'>): string[] =>
  (state.escalations ?? [])
    .filter((step) => !step.withdrawn)
    .map((step) => cstDate(new Date(step.at)))
    .sort();

/**
 * `version|grade|industry|status|found|deadline|closed|onTime|escalated|unit|overdue|closed
 * spans` (escalation dates, and spans as `from~to`, joined by commas): versions sort as
 * strings.
 */
export function encodeCode(code: StatisticsCode): string {
  return [
    String(code.version).padStart(10, '0'),
    code.grade === 'major' ? 'M' : 'G',
    code.industry.replaceAll('|', '_'),
    statusLetters[code.status],
    code.foundOn,
    code.deadlineOn ?? '',
    code.closedOn ?? '',
    code.onTime === undefined ? '' : code.onTime ? '1' : '0',
    (code.escalatedOn ?? []).join(','),
    cellWord(code.unit),
    encodeSpans(code.overdue),
    encodeSpans(code.closed),
  ].join('|');
}

export function decodeCode(text: string): StatisticsCode {
  const [
    version,
    grade,
    industry,
    status,
    foundOn,
    deadlineOn,
    closedOn,
    onTime,
    escalated,
    unit,
    overdue,
    closed,
  ] = text.split('|');
  const code: StatisticsCode = {
    version: Number(version),
    grade: grade === 'M' ? 'major' : 'general',
    industry: industry ?? '',
    status: letterStatuses[status ?? ''] ?? 'reported',
    foundOn: foundOn ?? '',
    unit: unit ?? '',
  };
  if (deadlineOn) code.deadlineOn = deadlineOn;
  if (closedOn) code.closedOn = closedOn;
  if (onTime) code.onTime = onTime === '1';
  if (escalated) code.escalatedOn = escalated.split(',');
  if (overdue) code.overdue = decodeSpans(overdue);
  if (closed) code.closed = decodeSpans(closed);
  return code;
}

/** A name as a cell or code part: `|` separates the parts. */
const cellWord = (name: string) => name.replaceAll('|', '_');

/** Whole CST calendar days from one date to a later one. */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * What a member adds to its bucket. Cells (names are short: an item holds many):
 * - `f|<found>|<o or c>` 1: found that day, and open or closed now (backlog, targets);
 * - `g|<month found>|<industry>|<grade>|<o or c>` 1: the same by industry and grade;
 * (two cells, not their product: a bucket's cells stay few, bounded by the calendar)
 * - `x|<closed>|<grade>|<b: found before 2024, else n>` 1: closings by day (targets' dates);
 * - `d|<month found>|<industry>|<grade>` days to close, `t|…` 1 if closed by the deadline;
 * Every cell names its own days: no sum depends on which bucket a member is in.
 * - `due|<deadline>|<grade>|<industry>` 1 while rectifying: overdue once the deadline day is
 *   past (by region and by industry);
 * - `esc|<date>` escalation steps fired that day (the weekly report);
 * - as of a past day's end (the weekly report): `os|<day>` / `oe|<day>` 1 when an overdue
 *   span begins / ends; a major hazard's `mo|<day>` 1 when found or reopened, `mc|<day>`
 *   1 when closed: the count at D's end is the sum of the starts up to D less the ends;
 * - by village or community (村/社区, '' for none), below the jurisdiction:
 *   `u|<unit>|<month found>|<grade>|<o or c>` 1, `ud|<unit>|<month found>` days to close,
 *   `ut|<unit>|<month found>` 1 if closed by the deadline, `uo|<unit>|<deadline>` 1 while
 *   rectifying (bounded by the jurisdiction's units, as the others by the calendar).
 */
export function cellsOf(code: StatisticsCode): Record<string, number> {
  const closed = code.status === 'closed';
  const cells: Record<string, number> = {
    [`f|${code.foundOn}|${closed ? 'c' : 'o'}`]: 1,
    [`g|${code.foundOn.slice(0, 7)}|${code.industry}|${code.grade}|${closed ? 'c' : 'o'}`]: 1,
  };
  if (closed && code.closedOn) {
    const backlog = code.foundOn < campaignTargets.backlogCleared.backlogBefore ? 'b' : 'n';
    const foundMonth = code.foundOn.slice(0, 7);
    cells[`x|${code.closedOn}|${code.grade}|${backlog}`] = 1;
    cells[`d|${foundMonth}|${code.industry}|${code.grade}`] = Math.max(
      0,
      daysBetween(code.foundOn, code.closedOn),
    );
    if (code.onTime) cells[`t|${foundMonth}|${code.industry}|${code.grade}`] = 1;
  }
  if (code.deadlineOn) cells[`due|${code.deadlineOn}|${code.grade}|${code.industry}`] = 1;
  const unit = cellWord(code.unit);
  cells[`u|${unit}|${code.foundOn.slice(0, 7)}|${code.grade}|${closed ? 'c' : 'o'}`] = 1;
  if (closed && code.closedOn) {
    cells[`ud|${unit}|${code.foundOn.slice(0, 7)}`] = Math.max(
      0,
      daysBetween(code.foundOn, code.closedOn),
    );
    if (code.onTime) cells[`ut|${unit}|${code.foundOn.slice(0, 7)}`] = 1;
  }
  if (code.deadlineOn) cells[`uo|${unit}|${code.deadlineOn}`] = 1;
  for (const date of code.escalatedOn ?? []) cells[`esc|${date}`] = (cells[`esc|${date}`] ?? 0) + 1;
  const add = (cell: string) => {
    cells[cell] = (cells[cell] ?? 0) + 1;
  };
  for (const [from, to] of code.overdue ?? []) {
    add(`os|${from}`);
    if (to) add(`oe|${to}`);
  }
  if (code.grade === 'major') {
    add(`mo|${code.foundOn}`);
    for (const [from, to] of code.closed ?? []) {
      add(`mc|${from}`);
      if (to) add(`mo|${to}`);
    }
  }
  return cells;
}

/** The change in each cell when a member's code goes from `before` (or none) to `after`. */
export function cellDeltas(
  before: StatisticsCode | null,
  after: StatisticsCode | null,
): Record<string, number> {
  const deltas: Record<string, number> = {};
  for (const [cell, value] of Object.entries(before ? cellsOf(before) : {})) {
    deltas[cell] = (deltas[cell] ?? 0) - value;
  }
  for (const [cell, value] of Object.entries(after ? cellsOf(after) : {})) {
    deltas[cell] = (deltas[cell] ?? 0) + value;
  }
  for (const [cell, value] of Object.entries(deltas)) if (value === 0) delete deltas[cell];
  return deltas;
}

/**
 * The first bucket month: a hazard found earlier counts in this month's bucket (its cells
 * keep its own days). A reader fetches every bucket from here to the current month by key.
 */
export const statisticsEpoch = '2019-01';

/** The bucket a hazard counts in: its jurisdiction and the month it was found (fixed). */
export const statisticsPartition = (jurisdiction: string) => `HAZARD#STATS#${jurisdiction}`;
export function bucketOf(state: HazardState): { jurisdiction: string; month: string } {
  const foundOn = state.foundOn ?? cstDate(new Date(state.reportedAt));
  const month = foundOn.slice(0, 7);
  return {
    jurisdiction: state.jurisdiction,
    month: month < statisticsEpoch ? statisticsEpoch : month,
  };
}

/** Every bucket month from the epoch to the clock's month (CST). */
export const bucketMonths = (now: Date) => monthsBetween(statisticsEpoch, cstDate(now).slice(0, 7));

/** The hazard projection's tally: which counter item, which member, which code. */
export const hazardTally = {
  of(state: HazardState, version: number) {
    const { jurisdiction, month } = bucketOf(state);
    return {
      partition: statisticsPartition(jurisdiction),
      sort: month,
      member: state.hazardId,
      code: encodeCode(codeOf(state, version)),
    };
  },
  deltas: (before: string | null, after: string) =>
    cellDeltas(before ? decodeCode(before) : null, decodeCode(after)),
  deferredCell: (cell: string) => cell.startsWith('esc|'),
};

/** A bucket as read: its jurisdiction, its month and its count cells. */
export interface Bucket {
  jurisdiction: string;
  month: string;
  cells: Record<string, number>;
}

/** The campaign's targets (RULES.md): each with the day it is due. */
export const campaignTargets = {
  backlogCleared: { due: '2024-12-31', backlogBefore: '2024-01-01' },
  inflowCurbed: { due: '2025-12-31', year: 2025 },
  majorZero: { due: '2026-12-31' },
} as const;

/**
 * `not_applicable`: there was nothing to count (no backlog at all; nothing found in 2024 nor
 * in 2025), so the target can be neither met nor missed.
 */
export type TargetStanding = 'met' | 'met_late' | 'pending' | 'missed' | 'not_applicable';

export interface Target {
  id: 'backlog_cleared' | 'inflow_curbed' | 'major_zero';
  due: string;
  standing: TargetStanding;
  /** The day it was met (as the hazards stand now): the last closing that made it true. */
  metOn: string | null;
  /** How far: what is still open (backlog, open majors) or found this year (inflow). */
  value: number;
  /** The inflow target's baseline: found in the year before. */
  baseline?: number;
  /** Days from today to the due day (negative once past). */
  daysLeft: number;
}

export interface Row {
  found: number;
  closed: number;
  open: number;
  /** Of the closed: closed by their deadline, and the sum of their days to close. */
  closedOnTime: number;
  daysToClose: number;
  /** Now, whatever the month found: rectifying past the deadline, and open major. */
  overdue: number;
  openMajor: number;
}

export interface StatisticsQuery {
  /** Jurisdictions counted: the one asked for and those below it. */
  jurisdictions: readonly string[];
  /** Months found, inclusive (YYYY-MM). */
  from: string;
  to: string;
  /** Backlog: found before this CST date; inflow: on or after it. */
  cutoff: string;
  now: Date;
  /**
   * The villages and communities (村/社区) each jurisdiction lists: a row for each, counted
   * or not, then any other its hazards name (a unit renamed since), then '' (no unit).
   */
  units?: Readonly<Record<string, readonly string[]>>;
}

/** A jurisdiction's village or community (村/社区); '' gathers the hazards that name none. */
export type UnitRow = Row & { jurisdiction: string; unit: string };

export interface Statistics {
  totals: Row;
  regions: (Row & { jurisdiction: string })[];
  /** Below each region: its units, in the order `units` lists them, no unit last. */
  units: UnitRow[];
  industries: (Row & { industry: string; grade: HazardGrade })[];
  months: { month: string; found: number; closed: number }[];
  backlog: { found: number; closed: number; open: number };
  inflow: { found: number; closed: number; open: number };
  targets: Target[];
}

const emptyRow = (): Row => ({
  found: 0,
  closed: 0,
  open: 0,
  closedOnTime: 0,
  daysToClose: 0,
  overdue: 0,
  openMajor: 0,
});

/** Months from one to another, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = to.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** Adds up buckets' cells into the dashboard's numbers. */
export function aggregate(buckets: readonly Bucket[], query: StatisticsQuery): Statistics {
  const today = cstDate(query.now);
  const inPeriod = (month: string) => month >= query.from && month <= query.to;
  const totals = emptyRow();
  const regions = new Map(query.jurisdictions.map((code) => [code, emptyRow()]));
  const industries = new Map<string, Row>();
  const months = new Map(
    monthsBetween(query.from, query.to).map((month) => [month, { found: 0, closed: 0 }]),
  );
  const backlog = { found: 0, closed: 0, open: 0 };
  const inflow = { found: 0, closed: 0, open: 0 };
  const { backlogCleared } = campaignTargets;
  const target = { backlogOpen: 0, backlogClosedLast: '', found: new Map<number, number>() };
  let majorClosedLast = '';
  let openMajor = 0;
  const units = new Map<string, Map<string, Row>>();

  for (const bucket of buckets) {
    const region = regions.get(bucket.jurisdiction);
    if (!region) continue;
    const unitRow = (unit: string) => rowOfUnit(units, bucket.jurisdiction, unit);
    const rows = (industry: string, grade: string) => {
      const key = `${industry}|${grade}`;
      const row = industries.get(key) ?? emptyRow();
      industries.set(key, row);
      return [totals, region, row];
    };
    for (const [cell, value] of Object.entries(bucket.cells)) {
      if (!value) continue;
      const parts = cell.split('|');
      switch (parts[0]) {
        case 'f': {
          const [, foundOn = '', open] = parts;
          const isOpen = open === 'o';
          const side = foundOn < query.cutoff ? backlog : inflow;
          side.found += value;
          side[isOpen ? 'open' : 'closed'] += value;
          if (foundOn < backlogCleared.backlogBefore && isOpen) target.backlogOpen += value;
          const year = Number(foundOn.slice(0, 4));
          target.found.set(year, (target.found.get(year) ?? 0) + value);
          const month = months.get(foundOn.slice(0, 7));
          if (month) month.found += value;
          break;
        }
        case 'g': {
          const [, foundMonth = '', industry = '', grade = '', open] = parts;
          const isOpen = open === 'o';
          if (grade === 'major' && isOpen) {
            openMajor += value;
            for (const row of rows(industry, grade)) row.openMajor += value;
          }
          if (inPeriod(foundMonth)) {
            for (const row of rows(industry, grade)) {
              row.found += value;
              row[isOpen ? 'open' : 'closed'] += value;
            }
          }
          break;
        }
        case 'x': {
          const [, closedOn = '', grade, backlogFlag] = parts;
          const month = months.get(closedOn.slice(0, 7));
          if (month) month.closed += value;
          if (backlogFlag === 'b' && closedOn > target.backlogClosedLast) {
            target.backlogClosedLast = closedOn;
          }
          if (grade === 'major' && closedOn > majorClosedLast) majorClosedLast = closedOn;
          break;
        }
        case 'd':
        case 't': {
          const [, foundMonth = '', industry = '', grade = ''] = parts;
          if (!inPeriod(foundMonth)) break;
          for (const row of rows(industry, grade)) {
            if (parts[0] === 'd') row.daysToClose += value;
            else row.closedOnTime += value;
          }
          break;
        }
        case 'due': {
          // Overdue now: the deadline day (ending 24:00 CST) is before today.
          const [, deadlineOn = '', grade = '', industry = ''] = parts;
          if (deadlineOn >= today) break;
          for (const row of rows(industry, grade)) row.overdue += value;
          break;
        }
        case 'u': {
          const [, unit = '', foundMonth = '', grade = '', open] = parts;
          const row = unitRow(unit);
          if (grade === 'major' && open === 'o') row.openMajor += value;
          if (!inPeriod(foundMonth)) break;
          row.found += value;
          row[open === 'o' ? 'open' : 'closed'] += value;
          break;
        }
        case 'ud':
        case 'ut': {
          const [, unit = '', foundMonth = ''] = parts;
          if (!inPeriod(foundMonth)) break;
          unitRow(unit)[parts[0] === 'ud' ? 'daysToClose' : 'closedOnTime'] += value;
          break;
        }
        case 'uo': {
          const [, unit = '', deadlineOn = ''] = parts;
          if (deadlineOn < today) unitRow(unit).overdue += value;
          break;
        }
      }
    }
  }

  return finish(
    {
      today,
      totals,
      regions,
      units,
      industries,
      months,
      backlog,
      inflow,
      backlogOpen: target.backlogOpen,
      backlogClosedLast: target.backlogClosedLast,
      foundByYear: target.found,
      openMajor,
      majorClosedLast,
    },
    query,
  );
}

/** A unit's row below its jurisdiction, made on first use. */
function rowOfUnit(units: Map<string, Map<string, Row>>, jurisdiction: string, unit: string) {
  const ofRegion = units.get(jurisdiction) ?? new Map<string, Row>();
  units.set(jurisdiction, ofRegion);
  const row = ofRegion.get(unit) ?? emptyRow();
  ofRegion.set(unit, row);
  return row;
}

interface Tallied {
  today: string;
  totals: Row;
  regions: Map<string, Row>;
  units: Map<string, Map<string, Row>>;
  industries: Map<string, Row>;
  months: Map<string, { found: number; closed: number }>;
  backlog: Statistics['backlog'];
  inflow: Statistics['inflow'];
  backlogOpen: number;
  backlogClosedLast: string;
  foundByYear: Map<number, number>;
  openMajor: number;
  majorClosedLast: string;
}

/** The targets' standing and the rows in order, from what was counted (either way). */
function finish(counted: Tallied, query: StatisticsQuery): Statistics {
  const { today, backlogOpen, openMajor } = counted;
  const { backlogCleared, inflowCurbed, majorZero } = campaignTargets;
  const daysLeft = (due: string) => daysBetween(today, due);
  const standing = (done: boolean, metOn: string | null, due: string): TargetStanding =>
    done ? (metOn && metOn > due ? 'met_late' : 'met') : today > due ? 'missed' : 'pending';
  const backlogMetOn = backlogOpen === 0 ? counted.backlogClosedLast || null : null;
  const noBacklog = backlogOpen === 0 && !counted.backlogClosedLast;
  const year = inflowCurbed.year;
  const thisYear = counted.foundByYear.get(year) ?? 0;
  const lastYear = counted.foundByYear.get(year - 1) ?? 0;
  const inflowDone = today > inflowCurbed.due && thisYear < lastYear;
  const noInflow = today > inflowCurbed.due && thisYear === 0 && lastYear === 0;
  const majorMetOn = openMajor === 0 ? counted.majorClosedLast || null : null;
  const targets: Target[] = [
    {
      id: 'backlog_cleared',
      due: backlogCleared.due,
      standing: noBacklog
        ? 'not_applicable'
        : standing(backlogOpen === 0, backlogMetOn, backlogCleared.due),
      metOn: backlogMetOn,
      value: backlogOpen,
      daysLeft: daysLeft(backlogCleared.due),
    },
    {
      id: 'inflow_curbed',
      due: inflowCurbed.due,
      standing: noInflow
        ? 'not_applicable'
        : inflowDone
          ? 'met'
          : today > inflowCurbed.due
            ? 'missed'
            : 'pending',
      metOn: inflowDone ? inflowCurbed.due : null,
      value: thisYear,
      baseline: lastYear,
      daysLeft: daysLeft(inflowCurbed.due),
    },
    {
      id: 'major_zero',
      due: majorZero.due,
      standing: standing(openMajor === 0, majorMetOn, majorZero.due),
      metOn: majorMetOn,
      value: openMajor,
      daysLeft: daysLeft(majorZero.due),
    },
  ];
  return {
    totals: counted.totals,
    regions: [...counted.regions].map(([jurisdiction, row]) => ({ jurisdiction, ...row })),
    units: unitRows(counted, query),
    industries: [...counted.industries]
      .map(([key, row]) => {
        const [industry = '', grade = 'general'] = key.split('|');
        return { industry, grade: grade as HazardGrade, ...row };
      })
      .filter((row) => row.found > 0 || row.openMajor > 0)
      .sort(
        (a, b) =>
          b.found - a.found ||
          a.industry.localeCompare(b.industry) ||
          a.grade.localeCompare(b.grade),
      ),
    months: [...counted.months].map(([month, counts]) => ({ month, ...counts })),
    backlog: counted.backlog,
    inflow: counted.inflow,
    targets,
  };
}

/**
 * Each region's units: those it lists (counted or not), then others its hazards name (a
 * unit renamed since: only if anything counts), then no unit (always: the rows add up).
 */
function unitRows(counted: Tallied, query: StatisticsQuery): UnitRow[] {
  const counts = (row: Row) => row.found > 0 || row.openMajor > 0 || row.overdue > 0;
  return [...counted.regions.keys()].flatMap((jurisdiction) => {
    const rows = counted.units.get(jurisdiction) ?? new Map<string, Row>();
    const listed = (query.units?.[jurisdiction] ?? []).map(cellWord);
    const others = [...rows.keys()]
      .filter((unit) => unit !== '' && !listed.includes(unit))
      .sort((a, b) => a.localeCompare(b));
    return [...listed, ...others.filter((unit) => counts(rows.get(unit) ?? emptyRow())), ''].map(
      (unit) => ({ jurisdiction, unit, ...(rows.get(unit) ?? emptyRow()) }),
    );
  });
}

/**
 * The same numbers counted the slow way, hazard by hazard, from their states: what the
 * counters must always agree with (tests, the reconciler's spot checks).
 */
export function recount(states: readonly HazardState[], query: StatisticsQuery): Statistics {
  const today = cstDate(query.now);
  const inPeriod = (date: string) => date.slice(0, 7) >= query.from && date.slice(0, 7) <= query.to;
  const counted: Tallied = {
    today,
    totals: emptyRow(),
    regions: new Map(query.jurisdictions.map((code) => [code, emptyRow()])),
    units: new Map(),
    industries: new Map(),
    months: new Map(
      monthsBetween(query.from, query.to).map((month) => [month, { found: 0, closed: 0 }]),
    ),
    backlog: { found: 0, closed: 0, open: 0 },
    inflow: { found: 0, closed: 0, open: 0 },
    backlogOpen: 0,
    backlogClosedLast: '',
    foundByYear: new Map(),
    openMajor: 0,
    majorClosedLast: '',
  };
  for (const state of states) {
    const region = counted.regions.get(state.jurisdiction);
    if (!region) continue;
    const key = `${state.industry}|${state.grade}`;
    const industry = counted.industries.get(key) ?? emptyRow();
    counted.industries.set(key, industry);
    const unit = rowOfUnit(counted.units, state.jurisdiction, cellWord(state.unit ?? ''));
    const foundOn = state.foundOn ?? cstDate(new Date(state.reportedAt));
    const closedOn = state.closedAt ? cstDate(new Date(state.closedAt)) : undefined;
    const closed = state.status === 'closed';
    const side = foundOn < query.cutoff ? counted.backlog : counted.inflow;
    side.found += 1;
    side[closed ? 'closed' : 'open'] += 1;
    const year = Number(foundOn.slice(0, 4));
    counted.foundByYear.set(year, (counted.foundByYear.get(year) ?? 0) + 1);
    if (foundOn < campaignTargets.backlogCleared.backlogBefore) {
      if (!closed) counted.backlogOpen += 1;
      else if (closedOn && closedOn > counted.backlogClosedLast)
        counted.backlogClosedLast = closedOn;
    }
    if (state.grade === 'major') {
      if (!closed) {
        counted.openMajor += 1;
        for (const row of [counted.totals, region, industry, unit]) row.openMajor += 1;
      } else if (closedOn && closedOn > counted.majorClosedLast) counted.majorClosedLast = closedOn;
    }
    if (
      state.status === 'rectifying' &&
      state.round &&
      Date.parse(state.round.deadline) <= query.now.getTime()
    ) {
      for (const row of [counted.totals, region, industry, unit]) row.overdue += 1;
    }
    if (closed && closedOn) {
      const month = counted.months.get(closedOn.slice(0, 7));
      if (month) month.closed += 1;
    }
    if (!inPeriod(foundOn)) continue;
    const month = counted.months.get(foundOn.slice(0, 7));
    if (month) month.found += 1;
    for (const row of [counted.totals, region, industry, unit]) {
      row.found += 1;
      if (!closed) row.open += 1;
      else {
        row.closed += 1;
        if (closedOn) row.daysToClose += Math.max(0, daysBetween(foundOn, closedOn));
        if (
          state.closedAt &&
          (!state.round || Date.parse(state.closedAt) <= Date.parse(state.round.deadline))
        ) {
          row.closedOnTime += 1;
        }
      }
    }
  }
  return finish(counted, query);
}

/** The jurisdiction asked for and every one below it (a child names its parent by code or name). */
export function subtreeOf(
  root: string,
  jurisdictions: readonly { code: string; zh: string; parent: string }[],
): string[] {
  const found = [root];
  for (let index = 0; index < found.length; index += 1) {
    for (const child of childrenOf(found[index] ?? '', jurisdictions)) {
      if (!found.includes(child)) found.push(child);
    }
  }
  return found;
}

/** The jurisdictions right below one (a parent is named by its code or its Chinese name). */
export function childrenOf(
  code: string,
  jurisdictions: readonly { code: string; zh: string; parent: string }[],
): string[] {
  const entry = jurisdictions.find((each) => each.code === code);
  return jurisdictions
    .filter(
      (child) =>
        child.code !== code &&
        (child.parent === code || (entry !== undefined && child.parent === entry.zh)),
    )
    .map((child) => child.code);
}

/** Port: the counter items, read by jurisdiction (a bounded number of reads). */
export interface HazardStatistics {
  buckets(jurisdictions: readonly string[], months: readonly string[]): Promise<Bucket[]>;
  /**
   * Whether the counters are built in the current cells' format: after an upgrade that
   * changed the cells, not until the rebuild has ended (older buckets lack the new cells).
   */
  builtInCurrentFormat(): Promise<boolean>;
}
