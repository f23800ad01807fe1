import { closeSync, constants, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Clock } from '@qingling/shared/ports/clock.ts';

/**
 * How far ahead of the time shown the kept time is written: one real second's worth, or
 * ten simulated minutes if less (a fast clock writes more often, so a kill -9 skips at most
 * ten simulated minutes ahead, never days).
 */
const leaseRealMs = 1000;
const leaseSimulatedMs = 10 * 60 * 1000;
/** The kept time's record, padded to one length: each renewal overwrites it whole, in place. */
const keptBytes = 128;
/**
 * A fast clock runs at most this far past the earliest step that fell due and is not yet
 * done (see holdFor): the lateness a burst can cost on a fast clock, in simulated time.
 */
export const holdAheadMs = 10 * 60 * 1000;
/** A hold longer than this (real time) is let go for as long: a stuck lifecycle cannot stop time. */
const maxHoldRealMs = 60_000;

/**
 * The embedded cloud's clock: real time, or faster for demonstrations
 * (`npm start -- --clock-speed 1440` makes a day pass in a minute). The simulated time is
 * kept in .data so that a restart never winds it back, even after kill -9: the clock never
 * shows a time beyond what .data already holds. Before it would, it writes a new time one
 * real second ahead (ten simulated minutes at most: at ×8000 thirteen times a real second).
 * Each renewal is one write of a fixed-length record at the start of the file, kept open: a
 * kill -9 cannot cut a write call in two, so the file holds the old time or the new one
 * (a temporary file renamed into place cost four file-system calls, 4-5 % of the CPU of an
 * escalation burst at ×8000). A restart goes on from the later of the kept time and the
 * real time: it may skip ahead by up to a second's worth (ten simulated minutes at most),
 * never back.
 *
 * It can be made to stand still (`paused`, then `resume()`): the embedded cloud starts it
 * only once the store is open and the lifecycles are back, so that a fast clock does not
 * run on for simulated days while the stack starts and everything comes due in a burst.
 *
 * A fast clock also waits for the work that fell due (`holdFor`): it runs no more than
 * `holdAheadMs` past the earliest step that is due and not yet done, as a simulation's
 * virtual time advances only once the work due at it is done.
 * Without it a burst (the first working day after a holiday: hundreds of steps at 09:00)
 * is late by the host's speed times the clock's: at ×8000 one real second of work is 2.2
 * simulated hours, where on AWS at real time the same burst takes seconds. The time held is
 * counted (`holding`), so a bench can say how far below its speed the clock ran.
 */
export class ScaledClock implements Clock {
  readonly speed: number;
  private readonly path: string;
  private readonly realNow: () => number;
  private simulatedBase: number;
  private realBase: number;
  private stoppedAt: number | null = null;
  /** The simulated time .data holds: nothing later is ever shown. */
  private kept: number;
  /**
   * The simulated time this process's clock began to run from (null while it stands still
   * at start): what a restart is judged by, beside the time shown before the kill.
   */
  startedFrom: Date | null = null;
  /** The kept time's file, open while the clock renews it. */
  private file: number | undefined;
  /** The earliest due instant of work not yet done (holdFor), if any. */
  private oldestDue: (() => number | undefined) | null = null;
  /** The latest time shown: a hold never winds the clock back. */
  private shown = 0;
  /** Real time the current hold began, if the clock is held now. */
  private heldSince: number | null = null;
  /** Real time until which holds are ignored (after one lasted maxHoldRealMs). */
  private unheldUntil = 0;
  private heldRealMs = 0;
  private holds = 0;

  constructor(options: { path: string; speed?: number; realNow?: () => number; paused?: boolean }) {
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
    this.kept = reached;
    if (options.paused) this.stoppedAt = this.simulatedBase;
    else this.startedFrom = new Date(this.simulatedBase);
  }

  /** Whether the clock stands still (until `resume`). */
  get paused(): boolean {
    return this.stoppedAt !== null;
  }

  /** Goes on from the time it stood at. */
  resume(): void {
    if (this.stoppedAt === null) return;
    this.simulatedBase = this.stoppedAt;
    this.realBase = this.realNow();
    this.startedFrom ??= new Date(this.stoppedAt);
    this.stoppedAt = null;
  }

  /**
   * Holds a fast clock back while work is due (the embedded cloud's lifecycles: the due
   * instant of the earliest timer taken and not yet done). A clock at real speed is never
   * held: real time does not wait.
   */
  holdFor(oldestDue: () => number | undefined): void {
    if (this.speed > 1) this.oldestDue = oldestDue;
  }

  /** How long (real time) the clock has stood held, in how many holds, and whether it is now. */
  get holding(): { held: boolean; heldRealMs: number; holds: number } {
    const current = this.heldSince === null ? 0 : this.realNow() - this.heldSince;
    return {
      held: this.heldSince !== null,
      heldRealMs: this.heldRealMs + current,
      holds: this.holds,
    };
  }

  now(): Date {
    let now: number;
    if (this.stoppedAt !== null) now = this.stoppedAt;
    else {
      const real = this.realNow();
      now = this.simulatedBase + (real - this.realBase) * this.speed;
      const due = real >= this.unheldUntil ? this.oldestDue?.() : undefined;
      if (due !== undefined && now > due + holdAheadMs) {
        // Stand at the bound (never before what was shown) and go on from there once free.
        now = Math.max(due + holdAheadMs, this.shown);
        this.simulatedBase = now;
        this.realBase = real;
        if (this.heldSince === null) {
          this.heldSince = real;
          this.holds += 1;
        } else if (real - this.heldSince > maxHoldRealMs) {
          console.warn(
            `the fast clock was held ${maxHoldRealMs / 1000} s by work due at ${new Date(due).toISOString()}: let go`,
          );
          this.unheldUntil = real + maxHoldRealMs;
          this.endHold(real);
        }
      } else this.endHold(real);
    }
    this.shown = Math.max(this.shown, now);
    if (now > this.kept) this.keep(now + Math.min(leaseRealMs * this.speed, leaseSimulatedMs));
    return new Date(now);
  }

  private endHold(real: number): void {
    if (this.heldSince === null) return;
    this.heldRealMs += real - this.heldSince;
    this.heldSince = null;
  }

  /** Real milliseconds until a simulated instant: how long a local timer must wait. */
  realMillisecondsUntil(instant: Date): number {
    return Math.max(0, (instant.getTime() - this.now().getTime()) / this.speed);
  }

  /** Renews the kept time; called periodically and on stop. */
  save(): void {
    this.now();
  }

  /** Renews the kept time one last time and closes its file (the stack stopping). */
  close(): void {
    this.save();
    if (this.file !== undefined) closeSync(this.file);
    this.file = undefined;
  }

  private keep(until: number): void {
    const record = Buffer.from(
      JSON.stringify({ reached: new Date(until).toISOString(), speed: this.speed }).padEnd(
        keptBytes,
      ),
    );
    // Opened without truncating: until the first write, the file holds the time kept before.
    const opened = this.file === undefined;
    this.file ??= openSync(this.path, constants.O_RDWR | constants.O_CREAT);
    writeSync(this.file, record, 0, record.length, 0);
    // A longer record from before (none is) would leave its tail behind the new one.
    if (opened) ftruncateSync(this.file, record.length);
    this.kept = until;
  }
}
