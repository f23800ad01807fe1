import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../event-log/event-log.ts';
import { type TipEvent, type TipState, tipForTipster, tipProjection } from './tip.ts';

const received: TipEvent = {
  type: 'tip_received',
  data: {
    tipId: 't1',
    channel: 'web',
    jurisdiction: 'cq-gecheng',
    industry: 'fire',
    address: '东门路 18 号',
    description: '仓库安全出口被货物堵住。',
    seenOn: '2026-11-22',
    isEmployee: false,
    wantsReward: false,
    photoIds: ['p1', 'p2', 'p3'],
    contentDigest: 'digest',
    acceptDeadline: '2026-11-25T16:00:00.000Z',
  },
};

const fold = (events: TipEvent[]): TipState =>
  events.reduce<TipState | null>(
    (state, event, index) =>
      tipProjection.apply(state, {
        ...event,
        sequence: index + 1,
        at: '2026-11-22T08:00:00.000Z',
        actor: { kind: 'system', id: 'photo-processor' },
      } as unknown as RecordedEvent),
    null,
  ) as TipState;

const place = { code: 'cq-gecheng', zh: '葛城街道', en: 'Gecheng' };

describe("a tip's photo slots", () => {
  it('take their first outcome for good: a photo after a refusal, or the reverse, changes nothing', () => {
    const state = fold([
      received,
      { type: 'photo_refused', data: { photoId: 'p1', reason: 'not_a_photo' } },
      { type: 'photo_added', data: { photoId: 'p1', key: 'tips/t1/p1-late.jpg' } },
      { type: 'photo_added', data: { photoId: 'p2', key: 'tips/t1/p2-first.jpg' } },
      { type: 'photo_refused', data: { photoId: 'p2', reason: 'unreadable' } },
      { type: 'photo_added', data: { photoId: 'p2', key: 'tips/t1/p2-swapped.jpg' } },
    ]);
    expect(state.photos.map((photo) => photo.key)).toEqual(['tips/t1/p2-first.jpg']);
    const view = tipForTipster(state, place);
    expect(view.photos).toBe(1);
    expect(view.photoSlots).toEqual([
      {
        photoId: 'p1',
        status: 'refused',
        reason: expect.objectContaining({ en: expect.stringContaining('not a photo') }),
      },
      { photoId: 'p2', status: 'arrived' },
      { photoId: 'p3', status: 'waiting' },
    ]);
  });
});
