import { describe, expect, it } from 'vitest';
import { daysOverdue, defuse, ledgerCsv } from './ledger-export.ts';

describe('the ledger export', () => {
  it('defuses every cell a spreadsheet would read as a formula', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) {
      expect(defuse(cell)).toBe(`'${cell}`);
    }
    expect(defuse('灭火器 = 过期')).toBe('灭火器 = 过期');
  });

  it('quotes commas, quotes and line breaks in CSV, after a BOM', () => {
    const csv = ledgerCsv([[1, 'a,b', 'say "hi"', 'two\nlines']]);
    expect(csv.startsWith('\uFEFF序号,')).toBe(true);
    expect(csv).toContain('\r\n1,"a,b","say ""hi""","two\nlines"\r\n');
  });

  it('counts whole days past the deadline, none before it', () => {
    expect(daysOverdue('2026-12-01', '2026-12-04')).toBe(3);
    expect(daysOverdue('2026-12-04', '2026-12-04')).toBe(0);
    expect(daysOverdue('2026-12-10', '2026-12-04')).toBe(0);
    expect(daysOverdue(undefined, '2026-12-04')).toBe(0);
  });
});
