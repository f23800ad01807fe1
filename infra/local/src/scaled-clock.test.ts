import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holdAheadMs, ScaledClock } from './scaled-clock.ts';

const folder = mkdtempSync(join(tmpdir(), 'qingling-clock-'));
afterEach(() => rmSync(join(folder, 'clock.json'), { force: true }));

describe('ScaledClock', () => {
  it('runs at real time by default and faster when asked', () => {
    let real = Date.parse('2026-11-22T00:00:00Z');
    const normal = new ScaledClock({ path: join(folder, 'clock.json'), realNow: () => real });
    const fast = new ScaledClock({
      path: join(folder, 'other.json'),
      speed: 1440,
      realNow: () => real,
    });
    real += 60_000;
    expect(normal.now().toISOString()).toBe('2026-11-22T00:01:00.000Z');
    expect(fast.now().toISOString()).toBe('2026-11-23T00:00:00.000Z'); // a day in a minute
    expect(fast.realMillisecondsUntil(new Date('2026-11-24T00:00:00Z'))).toBe(60_000);
  });

  it('never runs back after a restart, even at a slower speed', () => {
    let real = Date.parse('2026-11-22T00:00:00Z');
    const path = join(folder, 'clock.json');
    const fast = new ScaledClock({ path, speed: 1440, realNow: () => real });
    real += 10 * 60_000; // ten real minutes: ten simulated days
    fast.save();
    const reached = fast.now().getTime();
    const restarted = new ScaledClock({ path, realNow: () => real });
    // At most one real second's worth ahead (the kept lease), never behind.
    expect(restarted.now().getTime()).toBeGreaterThanOrEqual(reached);
    expect(restarted.now().getTime()).toBeLessThanOrEqual(reached + 1440 * 1000);
    const before = restarted.now().getTime();
    real += 1000;
    expect(restarted.now().getTime()).toBe(before + 1000);
  });

  it('never shows a time .data does not hold: kill -9 without a save cannot wind it back', () => {
    let real = Date.parse('2026-11-22T00:00:00Z');
    const path = join(folder, 'clock.json');
    const fast = new ScaledClock({ path, speed: 86_400, realNow: () => real });
    // Shown at startup and never saved explicitly (the process is killed before its tick).
    real += 500;
    const shown = fast.now().getTime();
    real += 300;
    const shownLater = fast.now().getTime();
    const restarted = new ScaledClock({ path, speed: 86_400, realNow: () => real });
    expect(restarted.now().getTime()).toBeGreaterThanOrEqual(Math.max(shown, shownLater));
  });

  it('renews the kept time in place, one write a renewal, and reads it back after a kill', () => {
    // Issue 11: at ×8000 the lease is renewed thirteen times a real second; a temporary file
    // renamed into place cost four file-system calls each, 4-5 % of a burst's CPU.
    let real = Date.parse('2026-11-22T00:00:00Z');
    const path = join(folder, 'clock.json');
    writeFileSync(path, JSON.stringify({ reached: '2026-11-22T00:00:00.000Z' }));
    const fast = new ScaledClock({ path, speed: 8000, realNow: () => real });
    const renewals: number[] = [];
    for (let beat = 0; beat < 40; beat += 1) {
      real += 10;
      renewals.push(statSync(path).ino);
      fast.now();
    }
    // The same file throughout (no rename), a record of one length, no temporary file.
    expect(new Set(renewals).size).toBe(1);
    expect(readFileSync(path, 'utf8')).toHaveLength(128);
    expect(readdirSync(folder).filter((name) => name.startsWith('clock.json.'))).toEqual([]);
    // Killed here (no close): a restart reads the last renewal, not earlier than shown.
    const shown = fast.now().getTime();
    const restarted = new ScaledClock({ path, speed: 8000, realNow: () => real });
    expect(restarted.now().getTime()).toBeGreaterThanOrEqual(shown);
    fast.close();
    restarted.close();
  });

  it('refuses a speed it cannot honour', () => {
    expect(() => new ScaledClock({ path: join(folder, 'x.json'), speed: 0 })).toThrow(
      /clock-speed/,
    );
  });

  it('stands still while paused (the stack starting), then goes on from where it stood', () => {
    let real = Date.parse('2026-11-22T00:00:00Z');
    const clock = new ScaledClock({
      path: join(folder, 'clock.json'),
      speed: 8000,
      realNow: () => real,
      paused: true,
    });
    const start = clock.now().getTime();
    real += 20_000; // twenty real seconds of start-up: 44 simulated hours if it ran
    expect(clock.now().getTime()).toBe(start);
    expect(clock.startedFrom).toBeNull();
    clock.resume();
    real += 1000;
    expect(clock.now().getTime()).toBe(start + 8_000_000);
    // What a restart is judged by: where it began to run, however late it is first read.
    expect(clock.startedFrom?.getTime()).toBe(start);
    clock.resume();
    expect(clock.startedFrom?.getTime()).toBe(start);
  });

  it('waits for the work that fell due: at most holdAheadMs past it, then on from where it stood', () => {
    // Issue 11: at ×8000 a burst of steps due at 09:00 took the host minutes of real time's
    // worth of simulated hours; the clock ran on and every step was recorded hours late.
    let real = Date.parse('2026-11-22T00:00:00Z');
    const clock = new ScaledClock({
      path: join(folder, 'clock.json'),
      speed: 8000,
      realNow: () => real,
    });
    const start = clock.now().getTime();
    let due: number | undefined = start + 60_000; // a step due a simulated minute from now
    clock.holdFor(() => due);
    real += 5_000; // five real seconds of work: 11 simulated hours if the clock ran on
    expect(clock.now().getTime()).toBe(due + holdAheadMs);
    real += 5_000;
    expect(clock.now().getTime()).toBe(due + holdAheadMs);
    expect(clock.holding).toEqual({ held: true, heldRealMs: 5_000, holds: 1 });
    // Done: on at its speed from where it stood, not from where it would have been.
    const stood = due + holdAheadMs;
    due = undefined;
    real += 1;
    expect(clock.now().getTime()).toBe(stood + 8000);
    expect(clock.holding).toEqual({ held: false, heldRealMs: 5_001, holds: 1 });
    // Work due long before what was shown holds the clock where it is, never back.
    const shown = clock.now().getTime();
    due = shown - 3_600_000;
    real += 1000;
    expect(clock.now().getTime()).toBe(shown);
    clock.close();
  });

  it('lets go of a hold after a minute (a stuck lifecycle cannot stop time), and never holds real time', () => {
    let real = Date.parse('2026-11-22T00:00:00Z');
    const clock = new ScaledClock({
      path: join(folder, 'clock.json'),
      speed: 8000,
      realNow: () => real,
    });
    const due = clock.now().getTime();
    clock.holdFor(() => due);
    real += 1000;
    expect(clock.now().getTime()).toBe(due + holdAheadMs);
    real += 61_000;
    clock.now();
    real += 1000;
    expect(clock.now().getTime()).toBe(due + holdAheadMs + 8_000_000);
    clock.close();

    const realTime = new ScaledClock({ path: join(folder, 'real.json'), realNow: () => real });
    const at = realTime.now().getTime();
    realTime.holdFor(() => at);
    real += 3_600_000;
    expect(realTime.now().getTime()).toBe(at + 3_600_000);
    realTime.close();
  });
});
