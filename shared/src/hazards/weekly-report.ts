import { addCalendarDays, cstDate } from '../calendar/calendar.ts';
import type { Bilingual } from '../i18n/text.ts';
import type { JurisdictionRecipient } from '../notifications/jurisdiction-recipients.ts';
import type { Notification } from '../ports/outbox.ts';
import type { TipState } from '../tips/tip-state.ts';
import type { TipBucket } from '../tips/tip-statistics.ts';
import { tipCodeOf } from '../tips/tip-statistics.ts';
import { closedSpans, endOfCstDate, overdueSpans, within } from './history.ts';
import {
  type Bucket,
  campaignTargets,
  childrenOf,
  daysBetween,
  escalationDates,
  type HazardState,
  subtreeOf,
} from './statistics.ts';

/**
 * The weekly report (周报) to each leader of a jurisdiction: every Monday at 09:00 CST, the
 * numbers of the week that ended the night before (Monday to Sunday, CST), for the
 * jurisdiction and those below it, counted from the statistics' counters. Pure: when a week
 * is due, what its numbers are, and what the message says; the sender reads the buckets
 * and sends through the notification port.
 */

/** Who gets it: the leaders of each jurisdiction. */
export const weeklyReportRecipients = [
  'leader_in_charge',
  'principal_leader',
] as const satisfies readonly JurisdictionRecipient[];

/** Monday 09:00 CST is 01:00 UTC on Monday. */
const sendHourUtc = 1;

/** A report's week: its Monday and Sunday (CST dates) and when its report is due. */
export interface ReportWeek {
  from: string;
  to: string;
  dueAt: Date;
}

/**
 * The latest week whose report is due at or before `now`: the week before the last Monday
 * 09:00 CST that has come.
 */
export function reportWeek(now: Date): ReportWeek {
  const today = cstDate(now);
  // 0 = Monday … 6 = Sunday, of today's CST date.
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  let monday = addCalendarDays(today, -weekday);
  const dueAt = (date: string) => new Date(`${date}T0${sendHourUtc}:00:00.000Z`);
  if (dueAt(monday).getTime() > now.getTime()) monday = addCalendarDays(monday, -7);
  return {
    from: addCalendarDays(monday, -7),
    to: addCalendarDays(monday, -1),
    dueAt: dueAt(monday),
  };
}

/**
 * The week (Monday to Sunday, CST) holding a CST date: the week an office asks for when it
 * reports upward. Its `dueAt` is the Monday after, when its report is sent.
 */
export function weekHolding(date: string): ReportWeek {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addCalendarDays(date, -weekday);
  const nextMonday = addCalendarDays(from, 7);
  return {
    from,
    to: addCalendarDays(from, 6),
    dueAt: new Date(`${nextMonday}T0${sendHourUtc}:00:00.000Z`),
  };
}

/** One message per leader per week: a repeated or restarted send carries the same key. */
export const weeklyReportKey = (jurisdiction: string, week: ReportWeek, recipient: string) =>
  `weekly-report#${jurisdiction}#${week.from}#${recipient}`;

export interface WeeklyNumbers {
  /** Found in the week (by the date found), and closed in it (by the date closed). */
  found: number;
  closed: number;
  /**
   * At the end of the week (or of the last day ended, in a week under way; `weekAsOf`):
   * major hazards found and not closed, and hazards rectifying past their deadline.
   */
  openMajor: number;
  overdue: number;
  /** Escalation steps fired in the week (recorded, not withdrawn). */
  escalations: number;
  /** Tips received in the week, and tips found substantiated in it. */
  tipsReceived: number;
  tipsSubstantiated: number;
}

export interface WeeklyQuery {
  jurisdictions: readonly string[];
  week: ReportWeek;
  now: Date;
}

/**
 * The CST date at whose end the week's open counts are taken: its Sunday once the week has
 * ended, else the last day that has (yesterday), so that a week's report says the same
 * whenever it is asked for.
 */
export function weekAsOf(week: Pick<ReportWeek, 'to'>, now: Date): string {
  const yesterday = addCalendarDays(cstDate(now), -1);
  return week.to < yesterday ? week.to : yesterday;
}

const emptyNumbers = (): WeeklyNumbers => ({
  found: 0,
  closed: 0,
  openMajor: 0,
  overdue: 0,
  escalations: 0,
  tipsReceived: 0,
  tipsSubstantiated: 0,
});

/** The week's numbers from the hazards' and the tips' buckets (statistics.ts, tip-statistics.ts). */
export function weeklyNumbers(
  hazardBuckets: readonly Bucket[],
  tipBuckets: readonly TipBucket[],
  query: WeeklyQuery,
): WeeklyNumbers {
  const counted = emptyNumbers();
  const places = new Set(query.jurisdictions);
  const asOf = weekAsOf(query.week, query.now);
  const inWeek = (date = '') => date >= query.week.from && date <= query.week.to;
  for (const bucket of hazardBuckets) {
    if (!places.has(bucket.jurisdiction)) continue;
    for (const [cell, value] of Object.entries(bucket.cells)) {
      if (!value) continue;
      // statistics.ts cellsOf, by day: the week's own, and the spans begun and ended by
      // the day the open counts are taken at.
      const [kind, date = ''] = cell.split('|');
      if (kind === 'f' && inWeek(date)) counted.found += value;
      else if (kind === 'x' && inWeek(date)) counted.closed += value;
      else if (kind === 'esc' && inWeek(date)) counted.escalations += value;
      else if (date > asOf) continue;
      else if (kind === 'os') counted.overdue += value;
      else if (kind === 'oe') counted.overdue -= value;
      else if (kind === 'mo') counted.openMajor += value;
      else if (kind === 'mc') counted.openMajor -= value;
    }
  }
  for (const bucket of tipBuckets) {
    if (!places.has(bucket.jurisdiction)) continue;
    for (const [cell, value] of Object.entries(bucket.cells)) {
      const [kind, date] = cell.split('|');
      if (kind === 'n' && inWeek(date)) counted.tipsReceived += value;
      else if (kind === 'v' && inWeek(date)) counted.tipsSubstantiated += value;
    }
  }
  return counted;
}

/** The weekly report as the route answers it: a row for each region, names included. */
export interface WeeklyReport {
  jurisdiction: string;
  week: { from: string; to: string };
  asOf: string;
  /** The CST date at whose end openMajor and overdue are counted (weekAsOf). */
  openAsOf: string;
  rows: readonly (WeeklyRow & { zh: string; en: string })[];
}

/** A row of the weekly report's table: a jurisdiction with those below it. */
export interface WeeklyRow extends WeeklyNumbers {
  jurisdiction: string;
  /** 0 for the jurisdiction asked for, 1 for those right below it, and so on. */
  depth: number;
}

/**
 * The weekly report's table, for reporting upward: the jurisdiction asked for and each one
 * below it, every row counting that jurisdiction with those below it (what its own leaders
 * are sent), in the tree's order. The first row is the whole report's total.
 */
export function weeklyRows(
  hazardBuckets: readonly Bucket[],
  tipBuckets: readonly TipBucket[],
  query: {
    jurisdiction: string;
    tree: readonly { code: string; zh: string; parent: string }[];
    week: ReportWeek;
    now: Date;
  },
): WeeklyRow[] {
  const rows: WeeklyRow[] = [];
  const visit = (code: string, depth: number) => {
    const jurisdictions = subtreeOf(code, query.tree);
    rows.push({
      jurisdiction: code,
      depth,
      ...weeklyNumbers(hazardBuckets, tipBuckets, {
        jurisdictions,
        week: query.week,
        now: query.now,
      }),
    });
    for (const child of childrenOf(code, query.tree)) visit(child, depth + 1);
  };
  visit(query.jurisdiction, 0);
  return rows;
}

/** The same numbers counted record by record: what the counters must agree with (tests). */
export function weeklyRecount(
  hazards: readonly HazardState[],
  tips: readonly TipState[],
  query: WeeklyQuery,
): WeeklyNumbers {
  const counted = emptyNumbers();
  const places = new Set(query.jurisdictions);
  const inWeek = (date = '') => date >= query.week.from && date <= query.week.to;
  const asOf = weekAsOf(query.week, query.now);
  const instant = endOfCstDate(asOf);
  for (const state of hazards) {
    if (!places.has(state.jurisdiction)) continue;
    const foundOn = state.foundOn ?? cstDate(new Date(state.reportedAt));
    if (inWeek(foundOn)) counted.found += 1;
    if (state.status === 'closed' && state.closedAt && inWeek(cstDate(new Date(state.closedAt))))
      counted.closed += 1;
    if (state.grade === 'major' && foundOn <= asOf && !within(closedSpans(state), instant))
      counted.openMajor += 1;
    if (within(overdueSpans(state), instant)) counted.overdue += 1;
    counted.escalations += escalationDates(state).filter((date) => inWeek(date)).length;
  }
  for (const state of tips) {
    if (!places.has(state.jurisdiction)) continue;
    const code = tipCodeOf(state, 0);
    if (inWeek(code.receivedOn)) counted.tipsReceived += 1;
    if (inWeek(code.substantiatedOn)) counted.tipsSubstantiated += 1;
  }
  return counted;
}

/**
 * What the report says, zh and en, with the link to the statistics of the jurisdiction for
 * the week's month(s).
 */
export function weeklyReportMessage(input: {
  jurisdiction: string;
  name: Bilingual;
  week: ReportWeek;
  numbers: WeeklyNumbers;
  now: Date;
  /** The site's address, if known: the link is absolute then. */
  siteUrl?: string;
}): Pick<Notification, 'subject' | 'body'> {
  const { name, week, numbers: n } = input;
  const due = campaignTargets.majorZero.due;
  const daysLeft = daysBetween(cstDate(input.now), due);
  // The link opens this week's report by region, which downloads as an .xlsx for
  // reporting upward.
  const search = new URLSearchParams({ jurisdiction: input.jurisdiction, week: week.from });
  const asOf = weekAsOf(week, input.now);
  const link = `${input.siteUrl ?? ''}/office/statistics/weekly?${search}`;
  const enLink = `${input.siteUrl ?? ''}/en/office/statistics/weekly?${search}`;
  const target =
    n.openMajor === 0
      ? { zh: '已实现动态清零', en: 'at zero, as the target asks' }
      : daysLeft >= 0
        ? {
            zh: `距 ${due} 清零期限还有 ${daysLeft} 天`,
            en: `${daysLeft} day(s) left to reach zero by ${due}`,
          }
        : {
            zh: `清零期限 ${due} 已过 ${-daysLeft} 天`,
            en: `${-daysLeft} day(s) past the zero target of ${due}`,
          };
  return {
    subject: {
      zh: `隐患排查治理周报：${name.zh}（${week.from} 至 ${week.to}）`,
      en: `Weekly hazard report: ${name.en} (${week.from} to ${week.to})`,
    },
    body: {
      zh:
        `${name.zh}（含下辖）${week.from} 至 ${week.to}：新发现隐患 ${n.found} 项，销号 ${n.closed} 项；` +
        `截至 ${asOf} 24 时重大事故隐患未销号 ${n.openMajor} 项（${target.zh}），超期未整改 ${n.overdue} 项；` +
        `本周督办升级 ${n.escalations} 次；收到举报 ${n.tipsReceived} 件，查证属实 ${n.tipsSubstantiated} 件。` +
        `分区域周报（可导出 Excel）：${link}`,
      en:
        `${name.en} (with the jurisdictions below it), ${week.from} to ${week.to}: ` +
        `${n.found} hazard(s) found, ${n.closed} closed; at the end of ${asOf}, ` +
        `${n.openMajor} major hazard(s) open (${target.en}) and ${n.overdue} overdue; ` +
        `${n.escalations} escalation step(s) fired; ` +
        `${n.tipsReceived} tip(s) received, ${n.tipsSubstantiated} substantiated. ` +
        `By region (downloadable as Excel): ${enLink}`,
    },
  };
}
