import { describe, expect, it } from 'vitest';
import { tipStatuses } from './schemas.ts';
import {
  aggregateTips,
  allTipStatuses,
  decodeTipCode,
  encodeTipCode,
  tipCellDeltas,
  tipChannels,
} from './tip-statistics.ts';

describe('tip counters', () => {
  it('rebuild from every status the inbox has', () => {
    expect([...allTipStatuses].sort()).toEqual([...tipStatuses].sort());
  });

  it('round-trip a code, and move a tip from received to substantiated and rewarded', () => {
    const received = {
      version: 1,
      channel: 'hotline' as const,
      receivedOn: '2026-11-24',
      employee: true,
      substantiated: false,
      rewarded: false,
    };
    expect(decodeTipCode(encodeTipCode(received))).toEqual(received);
    const rewarded = {
      ...received,
      version: 7,
      substantiated: true,
      substantiatedOn: '2026-12-01',
      rewarded: true,
    };
    expect(decodeTipCode(encodeTipCode(rewarded))).toEqual(rewarded);
    expect(encodeTipCode(rewarded) > encodeTipCode(received)).toBe(true);
    expect(tipCellDeltas(received, rewarded)).toEqual({
      's|2026-11-24|hotline': 1,
      'w|2026-11-24|hotline': 1,
      'v|2026-12-01': 1,
    });
  });

  it('add up by channel, region and month received, within the period', () => {
    const stats = aggregateTips(
      [
        {
          jurisdiction: 'a',
          month: '2026-11',
          cells: { 'n|2026-11-24|web': 3, 's|2026-11-24|web': 1, 'v|2026-12-01': 1 },
        },
        { jurisdiction: 'a', month: '2026-10', cells: { 'n|2026-10-02|visit': 5 } },
        { jurisdiction: 'other', month: '2026-11', cells: { 'n|2026-11-02|web': 9 } },
      ],
      { jurisdictions: ['a'], from: '2026-11', to: '2026-12' },
    );
    expect(stats.totals).toEqual({ received: 3, employee: 0, substantiated: 1, rewarded: 0 });
    expect(stats.channels.map((row) => row.channel)).toEqual(tipChannels);
    expect(stats.months.map((row) => [row.month, row.received])).toEqual([
      ['2026-11', 3],
      ['2026-12', 0],
    ]);
  });
});
