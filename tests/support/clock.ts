import type { Clock } from '@qingling/shared/ports/clock.ts';

/** A clock the test moves by hand: time in tests never comes from sleeping. */
export class ManualClock implements Clock {
  private current: Date;
  constructor(start: string | Date) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: string | Date): void {
    this.current = new Date(to);
  }
  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}
