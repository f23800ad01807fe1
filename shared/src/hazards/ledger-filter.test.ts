import { describe, expect, it } from 'vitest';
import type { HazardState } from './hazard.ts';
import {
  isFiltered,
  ledgerFilterOf,
  ledgerReadPlan,
  matchesLedgerFilter,
} from './ledger-filter.ts';
import { ledgerFilterIndexes } from './ledger-indexes.ts';

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

describe('a village or community (村/社区)', () => {
  it('is read from its own partition (gsi8), the other filters checked on the items', () => {
    const filter = ledgerFilterOf({ community: '东门社区', grade: 'major' }, now);
    expect(filter).toEqual({ community: '东门社区', grade: 'major' });
    expect(ledgerReadPlan('cq-gecheng', 'reported', filter)).toMatchObject({
      indexName: 'gsi8',
      partitions: ['LEDGER#cq-gecheng#reported#C#东门社区'],
      inOrder: true,
    });
    const state = {
      hazardId: 'h1',
      source: 'inspection',
      jurisdiction: 'cq-gecheng',
      industry: 'fire',
      grade: 'major',
      reportedAt: '2026-12-01T02:00:00.000Z',
      round: null,
    } as unknown as HazardState;
    expect(matchesLedgerFilter({ ...state, unit: '东门社区' }, filter)).toBe(true);
    expect(matchesLedgerFilter({ ...state, unit: '西门社区' }, filter)).toBe(false);
    expect(matchesLedgerFilter(state, filter)).toBe(false);
    // Its hazards carry the partition; those naming none carry no gsi8 at all.
    expect(ledgerFilterIndexes({ ...state, unit: '东门社区' }, 'reported')).toMatchObject({
      gsi8pk: 'LEDGER#cq-gecheng#reported#C#东门社区',
    });
    expect(ledgerFilterIndexes(state, 'reported')).not.toHaveProperty('gsi8pk');
  });
});
