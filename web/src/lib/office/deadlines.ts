import { cstToday as todayInChina } from '#lib/office/cst-today.ts';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * The CST date a deadline ends on. Every deadline ends at 24:00 CST (RULES.md), stored as
 * the next day's 00:00, so the day is the one just before that instant.
 */
const deadlineDay = (iso: string): string => todayInChina(new Date(Date.parse(iso) - 1));

/** "截至 2026年12月31日 24:00" / "by 24:00 on 31 Dec 2026". */
export function formatDeadline(iso: string): string {
  const day = new Date(`${deadlineDay(iso)}T12:00:00+08:00`);
  const date = new Intl.DateTimeFormat(getLocale(), {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
  }).format(day);
  return m.hz_deadline_by({ date });
}

/** A moment (not a deadline) in CST, in the reader's language. */
export function formatMoment(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(getLocale(), {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

/**
 * A count of days or hours in the reader's language, the number apart from its unit as the
 * console's other counts are ("60 天", "3 个工作日"; Intl writes zh-CN's "60天").
 */
export function duration(amount: number, unit: 'day' | 'hour'): string {
  return new Intl.NumberFormat(getLocale(), { style: 'unit', unit, unitDisplay: 'long' })
    .format(amount)
    .replace(/(\d)(?=\p{Script=Han})/u, '$1 ');
}

/** Time to a deadline in words: "还剩 3 天" or "已逾期 2 天" (hours when under a day). */
export function timeLeft(iso: string, now: number): { overdue: boolean; words: string } {
  const left = Date.parse(iso) - now;
  const span = Math.abs(left);
  const counted =
    span >= dayMs
      ? duration(Math.floor(span / dayMs), 'day')
      : duration(Math.max(1, Math.floor(span / hourMs)), 'hour');
  return left < 0
    ? { overdue: true, words: m.hz_overdue_by({ duration: counted }) }
    : { overdue: false, words: m.hz_time_left({ duration: counted }) };
}
