import type { PublishedDay } from '@qingling/shared/chain-heads/chain-heads.ts';
import { describe, expect, it } from 'vitest';
import { awaitsPublication } from './awaiting-publication.ts';

const day = (date: string, publishedAt: string): PublishedDay => ({
  date,
  root: 'r',
  count: 2,
  previousDigest: 'p',
  digest: 'd',
  publishedAt,
});
// Newest first, as /api/public/chain-heads lists them.
const days = [
  day('2026-12-04', '2026-12-04T16:00:05.000Z'),
  day('2026-12-03', '2026-12-03T16:00:04.000Z'),
];

describe('a log with no inclusion proof', () => {
  it('awaits the next publication when it was recorded after the latest one', () => {
    expect(awaitsPublication([{ at: '2026-12-05T08:28:00.000Z' }], days)).toBe(true);
    // Or when nothing has been published yet.
    expect(awaitsPublication([{ at: '2026-12-05T08:28:00.000Z' }], [])).toBe(true);
  });

  it('is an alarm when it has a record from before the latest publication', () => {
    expect(
      awaitsPublication(
        [{ at: '2026-12-02T03:00:00.000Z' }, { at: '2026-12-05T08:28:00.000Z' }],
        days,
      ),
    ).toBe(false);
    expect(awaitsPublication([{ at: 'not a time' }], days)).toBe(false);
    expect(awaitsPublication([], days)).toBe(false);
  });
});
