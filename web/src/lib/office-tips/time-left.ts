import {
  addCalendarDays,
  cstDate,
  isWorkingDay,
  seedCalendar,
} from '@qingling/shared/calendar/calendar.ts';
import { defaultTipTimeLimits, type TipLimit } from '@qingling/shared/tips/time-limits.ts';
import { duration } from '#lib/office/deadlines.ts';
import { m } from '#lib/paraglide/messages.js';

/**
 * The time left on a tip's running limit, in the unit the limit counts (RULES.md): working
 * days for acceptance ("还剩 2 个工作日"), calendar days for verification and feedback. A
 * deadline is 24:00 CST of its last day; "today" is the CST date. The calendar is the one
 * the server computes deadlines with.
 */
interface TimeLeft {
  overdue: boolean;
  words: string;
}

/** The CST date a deadline ends on (24:00 CST is stored as the next day's 00:00). */
const lastDayOf = (deadline: string): string => cstDate(new Date(Date.parse(deadline) - 1));

/** The days counted in (from, to]: working days or calendar days. */
function daysBetween(from: string, to: string, working: boolean): number {
  let count = 0;
  for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) {
    if (!working || isWorkingDay(seedCalendar, day)) count += 1;
  }
  return count;
}

const calendarDays = (count: number) => duration(count, 'day');

export function timeLeft(limit: TipLimit, deadline: string, now: number): TimeLeft {
  const working = defaultTipTimeLimits[limit].unit === 'working';
  const today = cstDate(new Date(now));
  const lastDay = lastDayOf(deadline);
  if (now < Date.parse(deadline)) {
    const left = daysBetween(today, lastDay, working);
    if (left === 0) return { overdue: false, words: m.tp_due_today() };
    if (!working) return { overdue: false, words: m.tp_left({ duration: calendarDays(left) }) };
    return {
      overdue: false,
      words: left === 1 ? m.tp_left_one_working_day() : m.tp_left_working_days({ count: left }),
    };
  }
  const late = daysBetween(lastDay, today, working);
  if (late === 0) return { overdue: true, words: m.tp_overdue() };
  if (!working) return { overdue: true, words: m.tp_overdue_by({ duration: calendarDays(late) }) };
  return {
    overdue: true,
    words: late === 1 ? m.tp_overdue_one_working_day() : m.tp_overdue_working_days({ count: late }),
  };
}
