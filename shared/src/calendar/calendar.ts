import seed from '../data/holiday-calendar.json' with { type: 'json' };

/**
 * China Standard Time and the official working-day calendar (RULES.md, "Time and
 * calendar"). All dates are CST whatever the server's zone; a deadline given as a date
 * ends at 24:00 of that day, CST. Pure functions over calendar data.
 */
export interface HolidayCalendar {
  years: Record<string, { holidays: readonly string[]; workdays: readonly string[] }>;
}

export const seedCalendar: HolidayCalendar = seed;

const cstOffsetMs = 8 * 3600 * 1000;
const dayMs = 24 * 3600 * 1000;

/** The CST calendar date (YYYY-MM-DD) of an instant. */
export function cstDate(instant: Date): string {
  return new Date(instant.getTime() + cstOffsetMs).toISOString().slice(0, 10);
}

/** The instant a CST date ends (24:00 CST, which is 16:00 UTC of that date). */
export function endOfCstDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + dayMs - cstOffsetMs);
}

export function addCalendarDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * dayMs).toISOString().slice(0, 10);
}

export function hasCalendarFor(calendar: HolidayCalendar, year: number): boolean {
  return String(year) in calendar.years;
}

/**
 * Whether a CST date is a working day: the year's calendar decides (holidays off, make-up
 * days on); a year without a calendar falls back to Monday–Friday (and the system warns
 * administrators before such a year starts).
 */
export function isWorkingDay(calendar: HolidayCalendar, date: string): boolean {
  const year = calendar.years[date.slice(0, 4)];
  if (year?.workdays.includes(date)) return true;
  if (year?.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The date `count` working days after `date` (not counting `date` itself). */
export function addWorkingDays(calendar: HolidayCalendar, date: string, count: number): string {
  let current = date;
  let remaining = count;
  while (remaining > 0) {
    current = addCalendarDays(current, 1);
    if (isWorkingDay(calendar, current)) remaining -= 1;
  }
  return current;
}

/** A limit counted from an instant: calendar or working days, ending at 24:00 CST. */
export function deadlineAfter(
  calendar: HolidayCalendar,
  from: Date,
  limit: { days: number; unit: 'calendar' | 'working' },
): Date {
  const start = cstDate(from);
  const date =
    limit.unit === 'working'
      ? addWorkingDays(calendar, start, limit.days)
      : addCalendarDays(start, limit.days);
  return endOfCstDay(date);
}

/** How long before a year starts the system warns that it has no calendar for it. */
export const calendarWarningDays = 60;

/**
 * The warnings administrators must see: a year that starts within 60 days (or has
 * started) without its holiday calendar, so working-day limits would count Mon–Fri only.
 */
export function calendarWarnings(
  calendar: HolidayCalendar,
  now: Date,
): { code: 'calendar_missing'; year: number; message: { zh: string; en: string } }[] {
  const today = cstDate(now);
  const thisYear = Number(today.slice(0, 4));
  const soon = cstDate(new Date(now.getTime() + calendarWarningDays * 24 * 3600 * 1000));
  const years = new Set([thisYear, Number(soon.slice(0, 4))]);
  return [...years]
    .filter((year) => !hasCalendarFor(calendar, year))
    .map((year) => ({
      code: 'calendar_missing' as const,
      year,
      message: {
        zh: `尚未录入 ${year} 年的节假日安排：按工作日计算的期限将只排除周末。请管理员录入国务院办公厅公布的放假安排。`,
        en: `There is no holiday calendar for ${year} yet: limits in working days will skip weekends only. An administrator should enter the official holiday schedule.`,
      },
    }));
}
