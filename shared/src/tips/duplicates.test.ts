import { describe, expect, it } from 'vitest';
import { duplicatesOf, tipPlaceIndex, tipPlacePartitions } from './duplicates.ts';

describe('the place keys of possible duplicates', () => {
  it('fold width, case, spaces and punctuation, within the jurisdiction', () => {
    const written = (enterprise: string, address: string) =>
      tipPlacePartitions({ jurisdiction: 'cq-gecheng', enterprise, address });
    expect(written('清水加油站', '葛城大道 1 号')).toEqual({
      gsi4pk: 'TIPPLACE#cq-gecheng#E#清水加油站',
      gsi5pk: 'TIPPLACE#cq-gecheng#A#葛城大道1号',
    });
    expect(written(' 清水 加油站。', '葛城大道１号')).toEqual(
      written('清水加油站', '葛城大道 1 号'),
    );
    expect(written('ＡＢＣ Ltd.', 'x路')).toMatchObject({ gsi4pk: 'TIPPLACE#cq-gecheng#E#abcltd' });
    expect(
      tipPlacePartitions({ jurisdiction: 'fj-xiamen-xiangan', address: '葛城大道 1 号' }),
    ).toEqual({ gsi5pk: 'TIPPLACE#fj-xiamen-xiangan#A#葛城大道1号' });
  });

  it('index a tip by both, newest first, and leave out an empty name', () => {
    const tip = {
      tipId: 't1',
      jurisdiction: 'cq-gecheng',
      enterprise: '——',
      address: '北街 3 号',
      receivedAt: '2026-12-01T02:00:00.000Z',
    };
    expect(tipPlaceIndex(tip)).toEqual({
      gsi5pk: 'TIPPLACE#cq-gecheng#A#北街3号',
      gsi5sk: '2026-12-01T02:00:00.000Z#t1',
    });
  });

  it('say why each other tip looks alike, never the tip itself, each once', () => {
    const own = { tipId: 'a', enterprise: '清水加油站', address: '1 号', text: '卸油区有人吸烟' };
    const found = duplicatesOf(own, [
      own,
      { tipId: 'b', enterprise: '清水 加油站', address: '2 号', text: '别的事' },
      { tipId: 'b', enterprise: '清水 加油站', address: '2 号', text: '别的事' },
      { tipId: 'c', address: '1号', text: '卸油区有人吸烟' },
      { tipId: 'd', address: '3 号', text: '完全不同' },
    ]);
    expect(found).toEqual([
      { tipId: 'b', reasons: ['enterprise'] },
      { tipId: 'c', reasons: ['address', 'text'] },
    ]);
  });
});
