import { describe, expect, it } from 'vitest';
import { sweepOrphanEvidence } from './orphan-evidence.ts';

const now = new Date('2026-12-09T04:00:00.000Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const hazardA = 'aaaaaaaaaaaaaaaaaaaaaaaaaa';
const hazardB = 'bbbbbbbbbbbbbbbbbbbbbbbbbb';
const upload = (n: number) => `0000000${n}-0000-4000-8000-000000000000`;
const key = (hazard: string, n: number, thumb = false) =>
  `evidence/${hazard}/${upload(n)}${thumb ? '-thumb.jpg' : ''}`;

async function* listing(blobs: { key: string; storedAt: Date }[]) {
  yield* [...blobs].sort((a, b) => (a.key < b.key ? -1 : 1));
}

describe('the orphan evidence sweep', () => {
  const blobs = [
    { key: key(hazardA, 1), storedAt: hoursAgo(30) },
    { key: key(hazardA, 1, true), storedAt: hoursAgo(30) },
    { key: key(hazardA, 2), storedAt: hoursAgo(30) },
    { key: key(hazardA, 2, true), storedAt: hoursAgo(30) },
    { key: key(hazardA, 3), storedAt: hoursAgo(2) },
    { key: key(hazardB, 1), storedAt: hoursAgo(48) },
    // Not a photo's key: never touched.
    { key: `evidence/${hazardB}/notes.txt`, storedAt: hoursAgo(48) },
  ];

  it('removes old photos and thumbnails no event names; keeps named, fresh and foreign keys', async () => {
    const read: string[] = [];
    const removed: string[] = [];
    const result = await sweepOrphanEvidence({
      listing: listing(blobs),
      now,
      named: async (hazardId) => {
        read.push(hazardId);
        return new Set(hazardId === hazardA ? [key(hazardA, 1)] : []);
      },
      remove: async (removedKey) => {
        removed.push(removedKey);
      },
    });
    expect(removed).toEqual([key(hazardA, 2), key(hazardA, 2, true), key(hazardB, 1)]);
    expect(result).toEqual({ removed, kept: 2, unfinished: false });
    // Each hazard's log read once, and only for a hazard with a photo old enough.
    expect(read).toEqual([hazardA, hazardB]);
  });

  it('reads no log of a hazard whose photos are all fresh', async () => {
    const read: string[] = [];
    const result = await sweepOrphanEvidence({
      listing: listing([{ key: key(hazardA, 3), storedAt: hoursAgo(23) }]),
      now,
      named: async (hazardId) => {
        read.push(hazardId);
        return new Set();
      },
      remove: async () => {},
    });
    expect(read).toEqual([]);
    expect(result.removed).toEqual([]);
  });

  it('stops between hazards when its time is up, the rest left for the next run', async () => {
    const removed: string[] = [];
    const result = await sweepOrphanEvidence({
      listing: listing(blobs),
      now,
      named: async () => new Set(),
      remove: async (removedKey) => {
        removed.push(removedKey);
      },
      // Time for the first hazard only: checked before each next one.
      expired: () => removed.length > 0,
    });
    expect(result.unfinished).toBe(true);
    expect(removed.every((removedKey) => removedKey.includes(hazardA))).toBe(true);
  });
});
