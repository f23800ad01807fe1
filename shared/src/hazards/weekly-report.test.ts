import { describe, expect, it } from 'vitest';
import {
  reportWeek,
  weekHolding,
  weeklyNumbers,
  weeklyReportMessage,
  weeklyRows,
} from './weekly-report.ts';

describe('the weekly report week', () => {
  it('is due at Monday 09:00 CST, for Monday to Sunday before it', () => {
    // Monday 2026-11-30 09:00 CST is 01:00 UTC.
    expect(reportWeek(new Date('2026-11-30T01:00:00.000Z'))).toEqual({
      from: '2026-11-23',
      to: '2026-11-29',
      dueAt: new Date('2026-11-30T01:00:00.000Z'),
    });
    // A minute before: the week before that.
    expect(reportWeek(new Date('2026-11-30T00:59:00.000Z')).from).toBe('2026-11-16');
    // Sunday 23:30 CST (Sunday 15:30 UTC) and Monday 00:30 CST (Sunday 16:30 UTC).
    expect(reportWeek(new Date('2026-11-29T15:30:00.000Z')).from).toBe('2026-11-16');
    expect(reportWeek(new Date('2026-11-29T16:30:00.000Z')).from).toBe('2026-11-16');
    // Any day of the week after: the same week.
    expect(reportWeek(new Date('2026-12-06T15:59:59.000Z')).from).toBe('2026-11-23');
    // Across a year's end.
    expect(reportWeek(new Date('2027-01-04T02:00:00.000Z'))).toMatchObject({
      from: '2026-12-28',
      to: '2027-01-03',
    });
  });
});

describe('the week an office asks for', () => {
  it('is Monday to Sunday around any day of it, its report due the Monday after', () => {
    for (const day of ['2026-11-23', '2026-11-26', '2026-11-29']) {
      expect(weekHolding(day)).toEqual({
        from: '2026-11-23',
        to: '2026-11-29',
        dueAt: new Date('2026-11-30T01:00:00.000Z'),
      });
    }
    expect(weekHolding('2027-01-01')).toMatchObject({ from: '2026-12-28', to: '2027-01-03' });
  });
});

describe('the weekly report by region', () => {
  it('gives each jurisdiction of the tree a row counting those below it too', () => {
    const tree = [
      { code: 'county', zh: '某县', parent: '某市' },
      { code: 'town-a', zh: '甲镇', parent: '某县' },
      { code: 'village', zh: '甲村', parent: 'town-a' },
      { code: 'town-b', zh: '乙镇', parent: 'county' },
      { code: 'elsewhere', zh: '别处', parent: '某市' },
    ];
    const found = (jurisdiction: string, count: number) => ({
      jurisdiction,
      month: '2026-11',
      cells: { 'f|2026-11-24|o': count },
    });
    const rows = weeklyRows(
      [
        found('county', 1),
        found('town-a', 2),
        found('village', 4),
        found('town-b', 8),
        found('elsewhere', 16),
      ],
      [],
      {
        jurisdiction: 'county',
        tree,
        week: weekHolding('2026-11-24'),
        now: new Date('2026-11-30T01:00:00.000Z'),
      },
    );
    expect(rows.map((row) => [row.jurisdiction, row.depth, row.found])).toEqual([
      ['county', 0, 15],
      ['town-a', 1, 6],
      ['village', 2, 4],
      ['town-b', 1, 8],
    ]);
  });
});

describe('the weekly numbers from the counters', () => {
  it("counts by the days in the week, and overdue and open majors at the week's end", () => {
    const week = { from: '2026-11-23', to: '2026-11-29', dueAt: new Date(0) };
    const numbers = weeklyNumbers(
      [
        {
          jurisdiction: 'a',
          month: '2026-11',
          cells: {
            'f|2026-11-22|o': 5, // the Sunday before: not in the week
            'f|2026-11-23|o': 2,
            'f|2026-11-29|c': 1,
            'x|2026-11-25|general|n': 1,
            'esc|2026-11-26': 3,
            'esc|2026-11-30': 1, // the Monday after
            // Overdue spans: 3 begun by Sunday's end, 1 of them ended by then; 4 begin after.
            'os|2026-10-02': 2,
            'os|2026-11-29': 1,
            'oe|2026-11-20': 1,
            'oe|2026-11-30': 1, // ended on Monday: still overdue at Sunday's end
            'os|2026-11-30': 4,
            // Majors: 4 found or reopened by Sunday, 1 closed by then, 1 closed on Monday.
            'mo|2025-03-01': 3,
            'mo|2026-11-29': 1,
            'mc|2026-11-01': 1,
            'mc|2026-11-30': 1,
          },
        },
        { jurisdiction: 'elsewhere', month: '2026-11', cells: { 'f|2026-11-24|o': 9 } },
      ],
      [
        {
          jurisdiction: 'a',
          month: '2026-11',
          cells: { 'n|2026-11-24|web': 2, 'n|2026-11-02|hotline': 1, 'v|2026-11-28': 1 },
        },
      ],
      { jurisdictions: ['a'], week, now: new Date('2026-11-30T01:00:00.000Z') },
    );
    expect(numbers).toEqual({
      found: 3,
      closed: 1,
      openMajor: 3,
      overdue: 2,
      escalations: 3,
      tipsReceived: 2,
      tipsSubstantiated: 1,
    });
  });
});

describe('the weekly report message', () => {
  it("links to the week's report by region, whose page downloads the .xlsx", () => {
    const message = weeklyReportMessage({
      jurisdiction: 'cq-gecheng',
      name: { zh: '葛城街道', en: 'Gecheng' },
      week: { from: '2026-11-30', to: '2026-12-06', dueAt: new Date(0) },
      numbers: {
        found: 1,
        closed: 0,
        openMajor: 0,
        overdue: 0,
        escalations: 0,
        tipsReceived: 0,
        tipsSubstantiated: 0,
      },
      now: new Date('2026-12-07T01:00:00.000Z'),
      siteUrl: 'https://qingling.example',
    });
    expect(message.body.zh).toContain(
      '分区域周报（可导出 Excel）：https://qingling.example/office/statistics/weekly?jurisdiction=cq-gecheng&week=2026-11-30',
    );
    expect(message.body.en).toContain(
      'By region (downloadable as Excel): https://qingling.example/en/office/statistics/weekly?jurisdiction=cq-gecheng&week=2026-11-30',
    );
  });
});
