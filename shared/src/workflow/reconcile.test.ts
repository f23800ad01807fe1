import { describe, expect, it } from 'vitest';
import { type RecentChange, reconcile } from './reconcile.ts';

const now = new Date('2026-12-18T02:00:00.000Z');

/** A sweep over the given changes, with every lifecycle having planned from version 3. */
async function sweep(changes: RecentChange[]) {
  const woken: string[] = [];
  const checked: string[] = [];
  const result = await reconcile(
    {
      clock: { now: () => now },
      waitingUntil: async function* () {},
      lifecycleOf: async (stream) => ({ stream, seenVersion: 3 }),
      changes: async function* () {
        yield* changes;
      },
      hasLifecycle: () => true,
      wake: async (stream) => {
        woken.push(stream);
      },
      checkCounters: async (stream) => {
        checked.push(stream);
        return false;
      },
    },
    { graceMs: 15 * 60_000, lookBackMs: 6 * 3600_000 },
  );
  return { result, woken, checked };
}

describe('the reconciler and changes left to it for counting', () => {
  it('counts a lifecycle step (countsOnly) without waking its lifecycle', async () => {
    const at = '2026-12-18T01:06:00.000Z';
    const { result, woken, checked } = await sweep([
      { stream: 'HAZARD#a', sequence: 5, at, countsOnly: true },
      { stream: 'HAZARD#b', sequence: 5, at },
    ]);
    // Both records' counters are checked; only the person's unseen change wakes a lifecycle.
    expect(checked.sort()).toEqual(['HAZARD#a', 'HAZARD#b']);
    expect(woken).toEqual(['HAZARD#b']);
    expect(result.unseenChanges).toBe(1);
  });
});
