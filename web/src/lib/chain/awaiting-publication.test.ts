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
const now = new Date('2026-12-05T09:00:00.000Z');

describe('a log with no inclusion proof', () => {
  it('may await the next publication when it was recorded after the latest one', () => {
    const log = [{ at: '2026-12-05T08:28:00.000Z' }, { at: '2026-12-05T08:29:00.000Z' }];
    expect(awaitsPublication(log, days, now)).toBe('2026-12-05T08:28:00.000Z');
    // Or when nothing has been published yet.
    expect(awaitsPublication(log, [], now)).toBe('2026-12-05T08:28:00.000Z');
  });

  it('is an alarm when it has a record from before the latest publication', () => {
    expect(
      awaitsPublication(
        [{ at: '2026-12-02T03:00:00.000Z' }, { at: '2026-12-05T08:28:00.000Z' }],
        days,
        now,
      ),
    ).toBeNull();
    expect(awaitsPublication([{ at: 'not a time' }], days, now)).toBeNull();
    expect(awaitsPublication([], days, now)).toBeNull();
  });

  it('is an alarm when its times are out of order or in the future (a rewritten log)', () => {
    const after = '2026-12-05T08:28:00.000Z';
    expect(
      awaitsPublication([{ at: after }, { at: '2026-12-05T08:00:00.000Z' }], days, now),
    ).toBeNull();
    expect(
      awaitsPublication([{ at: after }, { at: '2026-12-06T08:00:00.000Z' }], days, now),
    ).toBeNull();
    // A reader's clock a few minutes behind the server's is no alarm.
    expect(awaitsPublication([{ at: '2026-12-05T09:05:00.000Z' }], days, now)).toBe(
      '2026-12-05T09:05:00.000Z',
    );
  });
});
