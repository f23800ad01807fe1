import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import { lastEndedDay } from '@qingling/shared/chain-heads/chain-heads.ts';
import { type ReportWeek, reportWeek } from '@qingling/shared/hazards/weekly-report.ts';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import { type Reconciliation, reconcilerTiming } from '@qingling/shared/workflow/reconcile.ts';
import { publishDueChainHeads } from '#functions/events/publish-chain-heads.ts';
import { reconcileRecords } from '#functions/workflow/reconcile.ts';

/**
 * Each day's chain heads, published once the CST day has ended (00:05 CST on AWS): at
 * start (a day that ended while the cloud was down) and on every heartbeat after. One
 * publication at a time; the store makes a second one of the same day change nothing.
 */
export class ChainHeadsPublisher {
  private readonly clock: Clock;
  /** The last day published. */
  private through = '';
  private failedAt = 0;
  /** The publication under way. */
  running: Promise<void> | undefined;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** Publishes the days that ended since the last; after a failure, not for a minute. */
  publish(): Promise<void> | undefined {
    if (this.running || lastEndedDay(this.clock.now()) <= this.through) return this.running;
    if (Date.now() - this.failedAt < 60_000) return undefined;
    this.running = publishDueChainHeads()
      .then((result) => {
        this.through = result.day.date;
      })
      .catch((error: unknown) => {
        this.failedAt = Date.now();
        console.error('embedded cloud: chain heads not published', error);
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}

/**
 * The weekly reports (Monday 09:00 CST on AWS): on every heartbeat, once the clock has passed
 * a Monday 09:00 CST later than the last week sent, the reports of the week that ended are
 * sent. The last week sent is kept in the table (`marker`): a Monday that passed while the
 * cloud was down is sent at the next start; at the very first start, the week gone is not
 * (nobody was there to report on). One run at a time; after a failure, not for a minute.
 */
export class WeeklyReportSchedule {
  private readonly clock: Clock;
  private readonly marker: {
    through(): Promise<string | undefined>;
    record(week: string): Promise<void>;
  };
  private readonly send: () => Promise<{ week: ReportWeek }>;
  /** The Monday of the last week sent, once read. */
  private through: string | undefined;
  private failedAt = 0;
  /** The run under way. */
  running: Promise<void> | undefined;

  constructor(
    clock: Clock,
    marker: WeeklyReportSchedule['marker'],
    send: () => Promise<{ week: ReportWeek }>,
  ) {
    this.clock = clock;
    this.marker = marker;
    this.send = send;
  }

  /** Sends the week's reports if they are due and not yet sent. */
  due(): Promise<void> | undefined {
    if (this.running) return this.running;
    const week = reportWeek(this.clock.now()).from;
    if (this.through !== undefined && week <= this.through) return undefined;
    if (Date.now() - this.failedAt < 60_000) return undefined;
    this.running = this.run(week)
      .catch((error: unknown) => {
        this.failedAt = Date.now();
        console.error('embedded cloud: weekly reports not sent', error);
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async run(week: string): Promise<void> {
    if (this.through === undefined) {
      const stored = await this.marker.through();
      if (stored === undefined) {
        // The first start: reports begin with the next Monday.
        await this.marker.record(week);
        this.through = week;
        return;
      }
      this.through = stored;
    }
    if (week <= this.through) return;
    const sent = await this.send();
    await this.marker.record(sent.week.from);
    this.through = sent.week.from;
  }
}

interface SweepTiming {
  graceMs: number;
  lookBackMs: number;
}

/**
 * The reconciler (every five minutes on AWS): here every few real seconds, with a grace of
 * at least half a real minute, however fast the clock (a busy runner is not lost). One
 * sweep at a time; each looks at the changes since the last (and a minute more).
 */
export class ReconcilerSweeps {
  private readonly regular: SweepTiming;
  private reconciledAt = 0;
  /** Changes up to here were looked at. */
  private sweptUntil: number | undefined;
  /** The sweep under way: what it found, or undefined if it failed (and said so). */
  running: Promise<Reconciliation | undefined> | undefined;

  /** `speed`: how many times faster than real time the cloud's clock runs. */
  constructor(speed: number) {
    const graceMs = Math.max(reconcilerTiming.graceMs, 30_000 * speed);
    this.regular = { graceMs, lookBackMs: graceMs + reconcilerTiming.lookBackMs };
  }

  /**
   * The first sweep, before the first request: whatever was under way at a kill (a change
   * whose lifecycle had not planned from it, a record whose state was not yet written) is
   * woken now.
   */
  afterStart(): Promise<Reconciliation | undefined> {
    return this.sweep({ graceMs: 0, lookBackMs: 24 * 3600 * 1000 });
  }

  /** One regular sweep now (it joins the sweep under way, if any). */
  now(): Promise<Reconciliation | undefined> {
    return this.sweep(this.regular);
  }

  /** A regular sweep if none began in the last five real seconds. */
  whenDue(): void {
    if (Date.now() - this.reconciledAt > 5000) void this.now();
  }

  private sweep(timing: SweepTiming): Promise<Reconciliation | undefined> {
    this.reconciledAt = Date.now();
    const from = this.sweptUntil === undefined ? undefined : new Date(this.sweptUntil - 60_000);
    this.running ??= reconcileRecords({ ...timing, ...(from ? { from } : {}) })
      .then((result) => {
        this.sweptUntil = Date.parse(result.until);
        return result;
      })
      .catch((error: unknown) => {
        console.error('embedded cloud: reconciler failed', error);
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}

/**
 * The clock's heartbeat: runs `beat` (due waits end, the jobs that are due run, the fast
 * clock's time is kept in .data). A faster clock beats faster (a simulated minute a beat,
 * 100 beats a second at most), so a step is not recorded late merely for waiting for a
 * beat (the ladder marks a step late 15 simulated minutes after its time; the timers are a
 * heap, a beat costs nothing). Returns the function that stops it.
 */
export function startHeartbeat(speed: number, beat: () => void): () => void {
  const beatMs = Math.max(10, Math.min(1000, 60_000 / speed));
  const heartbeat = setInterval(beat, beatMs);
  heartbeat.unref();
  return () => clearInterval(heartbeat);
}

/**
 * The retention sweep (daily at 03:00 CST on AWS), and the orphan upload sweep (04:00): here
 * once a CST day by the cloud's clock, at the first heartbeat of the day (and at start).
 * One run at a time; after a failure, not for a minute. Each sweep is idempotent: a run
 * too many erases nothing.
 */
export class DailySweepSchedule {
  private readonly clock: Clock;
  private readonly sweep: () => Promise<unknown>;
  private readonly name: string;
  /** The CST day of the last run. */
  private sweptDay = '';
  private failedAt = 0;
  /** The run under way. */
  running: Promise<unknown> | undefined;

  constructor(clock: Clock, sweep: () => Promise<unknown>, name: string) {
    this.clock = clock;
    this.sweep = sweep;
    this.name = name;
  }

  /** The day's sweep if it has not run today. */
  due(): Promise<unknown> | undefined {
    if (this.running) return this.running;
    const day = cstDate(this.clock.now());
    if (day === this.sweptDay || Date.now() - this.failedAt < 60_000) return undefined;
    return this.now().then(() => {
      if (!this.failedAt) this.sweptDay = day;
    });
  }

  /** A sweep now (it joins the one under way, if any). */
  now(): Promise<unknown> {
    this.running ??= this.sweep()
      .then((result) => {
        this.failedAt = 0;
        return result;
      })
      .catch((error: unknown) => {
        this.failedAt = Date.now();
        console.error(`embedded cloud: ${this.name} failed`, error);
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
