import { describe, expect, it } from 'vitest';
import { formatDates, parseDates } from './admin-calendar.ts';

describe("the calendar page's date boxes", () => {
  it('reads dates and ranges as the State Council notice gives them', () => {
    const typed = '2027-01-01\n2027-02-06~2027-02-12，2027/4/5 2027-05-01 至 2027-05-05';
    const { dates, unread } = parseDates(typed);
    expect(unread).toEqual([]);
    expect(dates).toHaveLength(1 + 7 + 1 + 5);
    expect(dates.slice(0, 3)).toEqual(['2027-01-01', '2027-02-06', '2027-02-07']);
    expect(dates).toContain('2027-04-05');
    expect(dates.at(-1)).toBe('2027-05-05');
  });

  it('names what it cannot read: words, impossible days, backwards or year-long ranges', () => {
    const { dates, unread } = parseDates(
      '2027-02-30 春节 2027-02-12~2027-02-06 2027-01-01~2028-12-31 2027-10-01',
    );
    expect(dates).toEqual(['2027-10-01']);
    expect(unread).toEqual([
      '2027-02-30',
      '春节',
      '2027-02-12~2027-02-06',
      '2027-01-01~2028-12-31',
    ]);
  });

  it('shows runs of days as ranges, and reads back what it shows', () => {
    const dates = ['2027-02-07', '2027-02-06', '2027-02-08', '2027-01-01', '2027-02-08'];
    const shown = formatDates(dates);
    expect(shown).toBe('2027-01-01\n2027-02-06~2027-02-08');
    expect(parseDates(shown).dates).toEqual([
      '2027-01-01',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
    ]);
  });
});
