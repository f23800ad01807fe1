import { describe, expect, it } from 'vitest';
import { isFiltered, ledgerFilterOf } from './ledger-filter.ts';

const now = new Date('2026-12-03T02:00:00.000Z');

describe('the filter a request asks for', () => {
  it('takes the filters by name, and nothing else the request carries', () => {
    // The export's query also holds its format: read as a filter, it once sent the plain
    // ledger's export down the filtered indexes, in another order than the page's.
    const asked = { format: 'xlsx', cursor: 'abc', grade: undefined } as never;
    expect(ledgerFilterOf(asked, now)).toEqual({});
    expect(isFiltered(ledgerFilterOf(asked, now))).toBe(false);
  });

  it('keeps each filter given, and overdue as the deadline passed by now', () => {
    expect(
      ledgerFilterOf(
        { grade: 'major', industry: 'fire', foundFrom: '2026-01-01', overdue: 'true' },
        now,
      ),
    ).toEqual({
      grade: 'major',
      industry: 'fire',
      foundFrom: '2026-01-01',
      deadlineBy: now.toISOString(),
    });
  });
});
