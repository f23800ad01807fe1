import { targetTiming } from '@qingling/shared/hazards/statistics-figures.ts';
import { describe, expect, it } from 'vitest';
import type { HazardStatistics } from './statistics.ts';

type Target = HazardStatistics['targets'][number];
const target = (fields: Partial<Target>): Target => ({
  id: 'backlog_cleared',
  due: '2024-12-31',
  standing: 'pending',
  metOn: null,
  value: 0,
  daysLeft: 0,
  ...fields,
});

// The targets' table once showed "Days to due -703": a past due date reads in words.
describe('a target against its due date', () => {
  it('says how long overdue a missed target is, not a negative count', () => {
    expect(targetTiming(target({ standing: 'missed', value: 1, daysLeft: -703 }))).toEqual({
      zh: '已逾期 703 天',
      en: 'Overdue by 703 days',
    });
    expect(targetTiming(target({ standing: 'missed', daysLeft: -1 })).en).toBe('Overdue by 1 day');
  });

  it('gives the day a met target was met, and how late', () => {
    expect(targetTiming(target({ standing: 'met', metOn: '2024-06-30', daysLeft: -703 }))).toEqual({
      zh: '已于 2024-06-30 达成',
      en: 'Met on 2024-06-30',
    });
    expect(
      targetTiming(target({ standing: 'met_late', metOn: '2025-01-10', daysLeft: -703 })),
    ).toEqual({
      zh: '已于 2025-01-10 达成，晚于期限 10 天',
      en: 'Met on 2025-01-10, 10 days after the due date',
    });
    expect(targetTiming(target({ standing: 'met', metOn: null })).en).toBe('Met');
  });

  it('counts the days left while in progress, and says nothing of a target with nothing to count', () => {
    expect(targetTiming(target({ due: '2026-12-31', daysLeft: 21 }))).toEqual({
      zh: '还剩 21 天',
      en: '21 days left',
    });
    expect(targetTiming(target({ daysLeft: 0 })).en).toBe('Due today');
    expect(targetTiming(target({ standing: 'not_applicable', daysLeft: -703 }))).toEqual({
      zh: '—',
      en: '—',
    });
  });
});
