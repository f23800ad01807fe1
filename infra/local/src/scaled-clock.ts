import { readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '@qingling/shared/ports/clock.ts';

/**
 * The embedded cloud's clock: real time, or faster for demonstrations
 * (`npm start -- --clock-speed 1440` makes a day pass in a minute). The simulated time is
 * kept in .data, so that a restart never winds it back: it goes on from the later of the
 * time it had reached and the real time.
 */
export class ScaledClock implements Clock {
  readonly speed: number;
  private readonly path: string;
  private readonly realNow: () => number;
  private readonly simulatedBase: number;
  private readonly realBase: number;

  constructor(options: { path: string; speed?: number; realNow?: () => number }) {
    this.path = options.path;
    this.speed = options.speed ?? 1;
    if (!(this.speed >= 1 && this.speed <= 1_000_000)) {
      throw new Error('--clock-speed must be between 1 and 1000000');
    }
    this.realNow = options.realNow ?? Date.now;
    let reached = 0;
    try {
      reached =
        Date.parse((JSON.parse(readFileSync(this.path, 'utf8')) as { reached: string }).reached) ||
        0;
    } catch {}
    this.realBase = this.realNow();
    this.simulatedBase = Math.max(reached, this.realBase);
  }

  now(): Date {
    return new Date(this.simulatedBase + (this.realNow() - this.realBase) * this.speed);
  }

  /** Real milliseconds until a simulated instant: how long a local timer must wait. */
  realMillisecondsUntil(instant: Date): number {
    return Math.max(0, (instant.getTime() - this.now().getTime()) / this.speed);
  }

  /** Writes the time reached; called periodically and on stop. */
  save(): void {
    writeFileSync(
      this.path,
      JSON.stringify({ reached: this.now().toISOString(), speed: this.speed }),
    );
  }
}
