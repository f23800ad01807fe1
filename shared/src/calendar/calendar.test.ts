import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarWarnings,
  cstDate,
  deadlineAfter,
  endOfCstDay,
  hasCalendarFor,
  isWorkingDay,
  seedCalendar,
} from './calendar.ts';

describe('China Standard Time', () => {
  it('takes the date in CST whatever the server zone', () => {
    expect(cstDate(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(cstDate(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
  });

  it('ends a date at 24:00 CST', () => {
    expect(endOfCstDay('2026-11-22').toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });
});

describe('working days', () => {
  it('follows the holiday calendar and its make-up working days', () => {
    expect(isWorkingDay(seedCalendar, '2026-02-16')).toBe(false); // Spring Festival, a Monday
    expect(isWorkingDay(seedCalendar, '2026-02-14')).toBe(true); // make-up day, a Saturday
    expect(isWorkingDay(seedCalendar, '2026-11-21')).toBe(false); // an ordinary Saturday
    expect(isWorkingDay(seedCalendar, '2026-11-23')).toBe(true);
  });

  it('counts a limit over the Spring Festival holiday', () => {
    // Friday 13 Feb 2026 + 3 working days: Sat 14 (make-up), then the holiday to 23 Feb,
    // then Tue 24, Wed 25.
    expect(addWorkingDays(seedCalendar, '2026-02-13', 3)).toBe('2026-02-25');
    expect(
      deadlineAfter(seedCalendar, new Date('2026-02-13T02:00:00Z'), { days: 3, unit: 'working' }),
    ).toEqual(new Date('2026-02-25T16:00:00Z'));
  });

  it('counts calendar days through weekends and holidays', () => {
    expect(
      deadlineAfter(seedCalendar, new Date('2026-02-13T02:00:00Z'), { days: 3, unit: 'calendar' }),
    ).toEqual(new Date('2026-02-16T16:00:00Z'));
  });

  it('knows which years have a calendar, and falls back to Monday–Friday without one', () => {
    expect(hasCalendarFor(seedCalendar, 2026)).toBe(true);
    expect(hasCalendarFor(seedCalendar, 2027)).toBe(false);
    expect(isWorkingDay(seedCalendar, '2027-01-01')).toBe(true); // a Friday; no data yet
  });
});

describe('calendar warnings', () => {
  it('warn within 60 days of a year that has no calendar, and not earlier', () => {
    expect(calendarWarnings(seedCalendar, new Date('2026-10-01T00:00:00Z'))).toEqual([]);
    const warnings = calendarWarnings(seedCalendar, new Date('2026-11-22T00:00:00Z'));
    expect(warnings.map((warning) => warning.year)).toEqual([2027]);
    expect(warnings[0]?.message.zh).toContain('2027');
    expect(calendarWarnings(seedCalendar, new Date('2027-03-01T00:00:00Z'))).toHaveLength(1);
  });
});
