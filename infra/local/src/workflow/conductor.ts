import type { LifecycleWaitItem } from '@qingling/shared/adapters/dynamodb/lifecycle-waits.ts';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import type { HazardWorkflow } from '@qingling/shared/ports/hazard-workflow.ts';
import type { StepsRecorded, TurnInput, TurnPlan } from '@qingling/shared/workflow/turns.ts';
import { StateMachine } from './state-machine.ts';
import { TimerQueue } from './timer-queue.ts';

/**
 * The embedded cloud's Step Functions: runs the same ASL file with aws-local-stepfunctions
 * (one conductor per state machine: the hazard lifecycle, the tip lifecycle).
 *
 * Lean by design: an execution lives only while its record's lifecycle works (plans,
 * records, delivers). At the callback task (the workflow's only timer) the execution
 * registers its wait where AWS keeps it (the record's WAIT item: until, and the version
 * it planned from) and is parked: it ends, and only a timer entry stays in memory. When
 * the timer comes due, or a decision wakes the record, the same generation runs again from
 * the record (claiming a generation it holds already changes nothing). So memory grows with
 * the number of records at work, not with the number of records or their history, and a
 * restart reads the timers back from the WAIT items (one Query) instead of re-running every
 * lifecycle.
 *
 * Exactly once, as far as this runner goes: a task is never run twice at once for one
 * record (the library races a task against its TimeoutSeconds and retries on timeout
 * without cancelling the first call: the retry joins the call under way); a wake that
 * arrives while the record's lifecycle is busy is kept and acted on before it parks.
 */
export interface LifecycleTasks {
  plan(input: TurnInput & { id: string }): Promise<TurnPlan>;
  escalate(input: TurnInput & { id: string }): Promise<StepsRecorded>;
  /** The generation the record's next execution must carry. */
  nextGeneration(id: string): Promise<number>;
}

/** Where lifecycles keep what they last said of themselves (DynamoLifecycleWaits). */
export interface LifecycleWaitStore {
  register(wait: {
    stream: string;
    generation: number;
    timeoutSeconds: number;
    seenVersion?: number;
  }): Promise<{ until: string; stale: boolean }>;
  end(stream: string, generation: number, seenVersion: number): Promise<void>;
  waitingUntil(before?: Date): AsyncIterable<LifecycleWaitItem>;
}

interface TaskPayload {
  hazardId?: string;
  tipId?: string;
  generation: number;
  turn?: number;
  startedAt?: string;
  timeoutSeconds: number;
  seenVersion?: number;
}

interface Run {
  generation: number | null;
  abort?: () => void;
  done: Promise<void>;
}

export class LocalWorkflowConductor implements HazardWorkflow {
  private readonly machine: StateMachine;
  private readonly clock: Clock;
  private readonly tasks: LifecycleTasks;
  private readonly waits: LifecycleWaitStore;
  private readonly streamOf: (id: string) => string;
  /** The input field that names the record: hazardId (hazard lifecycle) or tipId. */
  private readonly field: 'hazardId' | 'tipId';
  private readonly maxRunning: number;

  /** Records whose execution runs now. */
  private readonly runs = new Map<string, Run>();
  /** Parked records: the generation to run again when their timer comes due. */
  private readonly timers = new TimerQueue<number>();
  /** Records to run when a slot is free (a burst of due timers, a restart), in order. */
  private readonly queue = new Map<string, number | null>();
  /** Records woken while their execution ran: they plan again before they park. */
  private readonly wokenWhileRunning = new Set<string>();
  /** Turns planned by whoever began the record (a tip at intake), run without Plan. */
  private readonly firstTurns = new Map<string, TurnPlan>();
  /** Records whose timer fell due and whose run has not ended: their due instants. */
  private readonly dueAt = new Map<string, number>();
  /** The earliest of dueAt (undefined: none; null: to be found again). */
  private earliestDue: number | undefined | null = undefined;
  /** When each record at work last planned: its wait counts from then. */
  private readonly plannedAt = new Map<string, number>();
  /** Task calls under way, by record and task: a retried call joins the first. */
  private readonly tasksUnderWay = new Map<string, Promise<unknown>>();
  private idleListeners: (() => void)[] = [];
  /** Once stopped, nothing starts. */
  private stopped = false;

  constructor(options: {
    definition: unknown;
    clock: Clock;
    tasks: LifecycleTasks;
    waits: LifecycleWaitStore;
    stream: (id: string) => string;
    field?: 'hazardId' | 'tipId';
    /** Executions at work at once; the rest queue (dynalite does one thing at a time). */
    maxRunning?: number;
  }) {
    // The definitions are checked by asl-validator in tests/infra/workflows.test.ts; checking
    // them again here compiled its JSON schemas on every start (0.5 s of the stack's 5 s).
    this.machine = new StateMachine(options.definition as never, {
      validationOptions: { noValidate: true },
    });
    this.clock = options.clock;
    this.tasks = options.tasks;
    this.waits = options.waits;
    this.streamOf = options.stream;
    this.field = options.field ?? 'hazardId';
    this.maxRunning = options.maxRunning ?? 16;
  }

  /**
   * After a restart: every wait the WAIT items hold becomes a timer again (a wait already
   * due runs at the next tick). Returns the ids restored.
   */
  async restore(): Promise<Set<string>> {
    const prefix = this.streamOf('');
    const restored = new Set<string>();
    for await (const wait of this.waits.waitingUntil()) {
      if (!wait.stream.startsWith(prefix) || !wait.until) continue;
      const id = wait.stream.slice(prefix.length);
      restored.add(id);
      if (!this.runs.has(id)) this.timers.set(id, Date.parse(wait.until), wait.generation);
    }
    return restored;
  }

  /** Starts the record's next generation unless it is at work already (or parked: wakes it). */
  start(id: string): void {
    this.wake(id);
  }

  /**
   * A decision was written to the record: its lifecycle plans again now. A parked record
   * runs its generation again; a record at work plans again before it parks; a record
   * without a lifecycle starts the next generation.
   */
  async wake(id: string): Promise<void> {
    if (this.stopped) return;
    // A decision was written after the first turn was planned: plan from the record.
    this.firstTurns.delete(id);
    if (this.runs.has(id)) {
      this.wokenWhileRunning.add(id);
      return;
    }
    const parked = this.timers.delete(id);
    this.schedule(id, parked ?? (this.queue.has(id) ? (this.queue.get(id) ?? null) : null));
  }

  /**
   * Runs the given generation of a record just created with it claimed (a tip at intake):
   * no read of the record to learn its generation. A record already known here is woken.
   */
  async begin(id: string, generation: number, firstTurn?: TurnPlan | null): Promise<void> {
    if (this.stopped) return;
    if (this.isRunning(id)) return this.wake(id);
    if (firstTurn) {
      this.firstTurns.set(id, firstTurn);
      this.plannedAt.set(id, this.clock.now().getTime());
    }
    this.schedule(id, generation);
  }

  /** The clock moved: every timer whose time has come runs its record again. */
  tick(): void {
    const now = this.clock.now().getTime();
    for (const [id, generation, dueAt] of this.timers.takeDue(now)) {
      if (!this.dueAt.has(id)) this.dueAt.set(id, dueAt);
      if (this.earliestDue !== null && !(dueAt >= (this.earliestDue ?? Infinity))) {
        this.earliestDue = dueAt;
      }
      this.schedule(id, generation);
    }
  }

  /**
   * The due instant of the earliest timer whose record has not finished its run: taken due
   * (queued or running) or not taken yet (a heartbeat comes late on a busy machine). What a
   * fast clock waits for (ScaledClock.holdFor).
   */
  oldestDueAt(): number | undefined {
    if (this.earliestDue === null) {
      let earliest: number | undefined;
      for (const dueAt of this.dueAt.values()) {
        if (!(dueAt >= (earliest ?? Infinity))) earliest = dueAt;
      }
      this.earliestDue = earliest;
    }
    const parked = this.timers.earliestDueAt();
    return parked !== undefined && !(parked >= (this.earliestDue ?? Infinity))
      ? parked
      : this.earliestDue;
  }

  private doneWithDue(id: string): void {
    const dueAt = this.dueAt.get(id);
    if (dueAt === undefined) return;
    this.dueAt.delete(id);
    if (dueAt === this.earliestDue) this.earliestDue = this.dueAt.size > 0 ? null : undefined;
  }

  /** Resolves when no execution runs or waits for a slot (for tests and shutdown). */
  settled(): Promise<void> {
    if (this.runs.size === 0 && this.queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleListeners.push(resolve));
  }

  isRunning(id: string): boolean {
    return this.runs.has(id) || this.timers.has(id) || this.queue.has(id);
  }

  /** Records parked on a timer and at work: what this runner holds in memory. */
  get size(): { parked: number; running: number; queued: number } {
    return { parked: this.timers.size, running: this.runs.size, queued: this.queue.size };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.clear();
    this.dueAt.clear();
    this.earliestDue = undefined;
    for (const run of this.runs.values()) run.abort?.();
    await Promise.all([...this.runs.values()].map((run) => run.done));
    await Promise.allSettled([...this.tasksUnderWay.values()]);
  }

  /** Runs the record now if a slot is free, else queues it (a generation null: the next one). */
  private schedule(id: string, generation: number | null): void {
    if (this.stopped || this.runs.has(id)) return;
    if (this.runs.size >= this.maxRunning) {
      if (!this.queue.has(id) || generation === null) this.queue.set(id, generation);
      return;
    }
    this.queue.delete(id);
    this.run(id, generation);
  }

  private run(id: string, knownGeneration: number | null): void {
    const run: Run = { generation: knownGeneration, done: Promise.resolve() };
    this.runs.set(id, run);
    let renewing = false;
    run.done = (async () => {
      const generation = knownGeneration ?? (await this.tasks.nextGeneration(id));
      run.generation = generation;
      const firstTurn = this.firstTurns.get(id);
      this.firstTurns.delete(id);
      if (this.stopped) return;
      const execution = this.machine.run(
        { [this.field]: id, generation, ...(firstTurn ? { firstTurn } : {}) },
        {
          noThrowOnAbort: true,
          // The local runner has no task tokens: waits are keyed by record.
          context: {
            Execution: { StartTime: this.clock.now().toISOString() },
            StateMachine: { Id: `local:${this.field}` },
            Task: { Token: `local:${id}` },
          },
          overrides: {
            taskResourceLocalHandlers: {
              Plan: async (input) => ({
                Payload: await this.once(id, 'plan', async () => {
                  const plan = await this.tasks.plan({ ...turnOf(input), id });
                  // The wait's time counts from the moment of planning, not of registering
                  // (on a fast clock the milliseconds between are simulated minutes).
                  this.plannedAt.set(id, this.clock.now().getTime());
                  if (plan.action === 'done' && plan.version) {
                    await this.waits.end(this.streamOf(id), generation, plan.version);
                  }
                  return plan;
                }),
              }),
              RecordDueSteps: async (input) => ({
                Payload: await this.once(id, 'escalate', async () => {
                  const recorded = await this.tasks.escalate({ ...turnOf(input), id });
                  // It planned the wait that follows: the wait counts from now.
                  this.plannedAt.set(id, this.clock.now().getTime());
                  return recorded;
                }),
              }),
              WaitForDecisionOrTimer: async (input) => {
                const payload = payloadOf(input);
                const planned = this.plannedAt.get(id) ?? this.clock.now().getTime();
                this.plannedAt.delete(id);
                // A task under way like the others: stop() waits for it before the store
                // closes (an abort ends the execution, not a write already sent).
                const { until } = await this.once(id, 'wait', () =>
                  this.waits.register({
                    stream: this.streamOf(id),
                    generation,
                    timeoutSeconds: Math.max(
                      1,
                      payload.timeoutSeconds -
                        Math.floor((this.clock.now().getTime() - planned) / 1000),
                    ),
                    ...(payload.seenVersion !== undefined
                      ? { seenVersion: payload.seenVersion }
                      : {}),
                  }),
                );
                // Woken while planning: plan again now rather than park.
                if (this.wokenWhileRunning.delete(id)) return { woken: true };
                // Parked: the execution ends here (the loop stops once aborted), its timer stays.
                this.timers.set(id, Date.parse(until), generation);
                run.abort?.();
                return { woken: false };
              },
              ContinueAsNewGeneration: async () => {
                renewing = true;
                return {};
              },
            },
          },
        },
      );
      run.abort = execution.abort;
      await execution.result;
    })()
      .catch((error: unknown) => {
        // The record is intact: the reconciler, or the next decision, runs it again.
        console.error(`lifecycle of ${id} failed:`, error);
      })
      .finally(() => {
        this.runs.delete(id);
        this.doneWithDue(id);
        const again = this.wokenWhileRunning.delete(id) || renewing;
        if (again && !this.stopped) {
          this.timers.delete(id);
          this.schedule(id, renewing ? null : run.generation);
        }
        this.next();
      });
  }

  /** Runs the next queued record, or tells listeners the runner is idle. */
  private next(): void {
    for (const [id, generation] of this.queue) {
      if (this.runs.size >= this.maxRunning || this.stopped) break;
      this.queue.delete(id);
      if (!this.runs.has(id)) this.run(id, generation);
    }
    if (this.runs.size === 0 && this.queue.size === 0) {
      const listeners = this.idleListeners;
      this.idleListeners = [];
      for (const listener of listeners) listener();
    }
  }

  /** One call of a task per record at a time: a retry while the first runs gets its result. */
  private once<T>(id: string, task: string, call: () => Promise<T>): Promise<T> {
    const key = `${id}#${task}`;
    const underWay = this.tasksUnderWay.get(key) as Promise<T> | undefined;
    if (underWay) return underWay;
    const promise = call().finally(() => this.tasksUnderWay.delete(key));
    this.tasksUnderWay.set(key, promise);
    return promise;
  }
}

function payloadOf(input: unknown): TaskPayload {
  return (input as { Payload: TaskPayload }).Payload;
}

/**
 * A task's turn input. Executions here last one turn or a few: none ever needs renewal (and
 * the library's StartTime is real time, not this clock's), so startedAt is left out.
 */
function turnOf(input: unknown): TurnInput {
  const { generation, turn } = payloadOf(input);
  return { generation, ...(turn !== undefined ? { turn } : {}) };
}
