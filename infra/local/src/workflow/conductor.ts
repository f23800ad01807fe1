import type { Clock } from '@qingling/shared/ports/clock.ts';
import type { HazardWorkflow } from '@qingling/shared/ports/hazard-workflow.ts';
import type { TurnInput, TurnPlan } from '@qingling/shared/workflow/turns.ts';
import { StateMachine } from 'aws-local-stepfunctions';

/**
 * The embedded cloud's Step Functions: runs the same ASL file with aws-local-stepfunctions
 * (one conductor per state machine: the hazard lifecycle, the tip lifecycle).
 * The callback task (the workflow's only timer) is served by a local registry instead of
 * `.waitForTaskToken`: a wait ends when a decision wakes its hazard, when the injected
 * clock passes its due time (`tick`), or when the runner's own timeout fires. Nothing is
 * kept in memory that the record does not hold: after a restart, each open hazard starts
 * its next generation, which plans again from its log.
 */
export interface LifecycleTasks {
  plan(input: TurnInput & { id: string }): Promise<TurnPlan>;
  escalate(input: { id: string; generation: number }): Promise<{ recorded: number }>;
  /** The generation the record's next execution must carry. */
  nextGeneration(id: string): Promise<number>;
}

interface Waiting {
  dueAt: number;
  wake: () => void;
}

interface TaskPayload {
  hazardId?: string;
  tipId?: string;
  generation: number;
  turn?: number;
  startedAt?: string;
  timeoutSeconds: number;
}

export class LocalWorkflowConductor implements HazardWorkflow {
  private readonly machine: StateMachine;
  private readonly clock: Clock;
  private readonly tasks: LifecycleTasks;
  private readonly executions = new Map<string, { abort?: () => void; result: Promise<unknown> }>();
  private readonly waiting = new Map<string, Waiting>();
  /** Records whose workflow is between waits: starting, planning or recording. */
  private readonly active = new Set<string>();
  private idleListeners: (() => void)[] = [];
  /** Once stopped, nothing starts: an execution still finding its generation never runs. */
  private stopped = false;
  /** Task calls under way: stop waits for them, so none touches a database being closed. */
  private readonly inFlight = new Set<Promise<unknown>>();

  /** The input field that names the record: hazardId (hazard lifecycle) or tipId. */
  private readonly field: 'hazardId' | 'tipId';

  constructor(options: {
    definition: unknown;
    clock: Clock;
    tasks: LifecycleTasks;
    field?: 'hazardId' | 'tipId';
  }) {
    this.machine = new StateMachine(options.definition as never, {
      validationOptions: { checkArn: false },
    });
    this.clock = options.clock;
    this.tasks = options.tasks;
    this.field = options.field ?? 'hazardId';
  }

  /** Starts the record's next generation unless one is live: one live execution per record. */
  start(id: string): void {
    if (this.stopped || this.executions.has(id)) return;
    this.enter(id);
    const entry: { abort?: () => void; result: Promise<unknown> } = { result: Promise.resolve() };
    this.executions.set(id, entry);
    let renewing = false;
    entry.result = this.track(this.tasks.nextGeneration(id))
      .then((generation) => {
        if (this.stopped) return;
        const execution = this.machine.run(
          { [this.field]: id, generation },
          {
            noThrowOnAbort: true,
            // The local runner has no task tokens: the registry below is keyed by hazard.
            context: {
              Execution: { StartTime: this.clock.now().toISOString() },
              StateMachine: { Id: `local:${this.field}` },
              Task: { Token: `local:${id}` },
            },
            overrides: {
              taskResourceLocalHandlers: {
                Plan: async (input) => {
                  this.enter(id);
                  return {
                    Payload: await this.track(this.tasks.plan({ ...payloadOf(input), id })),
                  };
                },
                RecordDueSteps: async (input) => {
                  this.enter(id);
                  return {
                    Payload: await this.track(this.tasks.escalate({ ...payloadOf(input), id })),
                  };
                },
                WaitForDecisionOrTimer: (input) => this.wait(id, payloadOf(input)),
                ContinueAsNewGeneration: async () => {
                  renewing = true;
                  return {};
                },
              },
            },
          },
        );
        entry.abort = execution.abort;
        return execution.result;
      })
      .catch((error: unknown) => {
        console.error(`lifecycle of ${id} failed:`, error);
      })
      .finally(() => {
        this.executions.delete(id);
        this.waiting.delete(id);
        // The next generation takes over from the record, as on AWS.
        if (renewing) this.start(id);
        this.leave(id);
      });
  }

  /** A decision was written to the record: its workflow plans again now (or starts). */
  async wake(id: string): Promise<void> {
    if (this.executions.has(id)) this.waiting.get(id)?.wake();
    else this.start(id);
  }

  /** The clock moved: every wait whose time has come ends, and its workflow plans again. */
  tick(): void {
    const now = this.clock.now().getTime();
    for (const waiting of [...this.waiting.values()]) if (waiting.dueAt <= now) waiting.wake();
  }

  /** Resolves when every live execution is waiting or finished (for tests and shutdown). */
  settled(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleListeners.push(resolve));
  }

  isRunning(id: string): boolean {
    return this.executions.has(id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const execution of this.executions.values()) execution.abort?.();
    await Promise.all([...this.executions.values()].map((execution) => execution.result));
    await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(task: Promise<T>): Promise<T> {
    this.inFlight.add(task);
    const done = () => this.inFlight.delete(task);
    task.then(done, done);
    return task;
  }

  private wait(id: string, payload: TaskPayload): Promise<{ woken: boolean }> {
    const dueAt = this.clock.now().getTime() + payload.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const wake = () => {
        this.waiting.delete(id);
        this.enter(id);
        resolve({ woken: true });
      };
      this.waiting.set(id, { dueAt, wake });
      this.leave(id);
    });
  }

  private enter(id: string): void {
    // A wait the runner's own timeout ended is dropped: the workflow is planning again.
    this.waiting.delete(id);
    this.active.add(id);
  }

  private leave(id: string): void {
    this.active.delete(id);
    if (this.active.size === 0) {
      const listeners = this.idleListeners;
      this.idleListeners = [];
      for (const listener of listeners) listener();
    }
  }
}

function payloadOf(input: unknown): TaskPayload {
  return (input as { Payload: TaskPayload }).Payload;
}
