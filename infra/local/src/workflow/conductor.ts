import type { TurnInput, TurnPlan } from '@qingling/shared/hazards/lifecycle.ts';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import type { HazardWorkflow } from '@qingling/shared/ports/hazard-workflow.ts';
import { StateMachine } from 'aws-local-stepfunctions';

/**
 * The embedded cloud's Step Functions: runs the same ASL file with aws-local-stepfunctions.
 * The callback task (the workflow's only timer) is served by a local registry instead of
 * `.waitForTaskToken`: a wait ends when a decision wakes its hazard, when the injected
 * clock passes its due time (`tick`), or when the runner's own timeout fires. Nothing is
 * kept in memory that the record does not hold: after a restart, each open hazard starts
 * its next generation, which plans again from its log.
 */
export interface LifecycleTasks {
  plan(input: TurnInput): Promise<TurnPlan>;
  escalate(input: { hazardId: string; generation: number }): Promise<{ recorded: number }>;
  /** The generation the hazard's next execution must carry. */
  nextGeneration(hazardId: string): Promise<number>;
}

interface Waiting {
  dueAt: number;
  wake: () => void;
}

interface TaskPayload {
  hazardId: string;
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
  /** Hazards whose workflow is between waits: starting, planning or recording. */
  private readonly active = new Set<string>();
  private idleListeners: (() => void)[] = [];

  constructor(options: { definition: unknown; clock: Clock; tasks: LifecycleTasks }) {
    this.machine = new StateMachine(options.definition as never, {
      validationOptions: { checkArn: false },
    });
    this.clock = options.clock;
    this.tasks = options.tasks;
  }

  /** Starts the hazard's next generation unless one is live: one live execution per hazard. */
  start(hazardId: string): void {
    if (this.executions.has(hazardId)) return;
    this.enter(hazardId);
    const entry: { abort?: () => void; result: Promise<unknown> } = { result: Promise.resolve() };
    this.executions.set(hazardId, entry);
    let renewing = false;
    entry.result = this.tasks
      .nextGeneration(hazardId)
      .then((generation) => {
        const execution = this.machine.run(
          { hazardId, generation },
          {
            noThrowOnAbort: true,
            // The local runner has no task tokens: the registry below is keyed by hazard.
            context: {
              Execution: { StartTime: this.clock.now().toISOString() },
              Task: { Token: `local:${hazardId}` },
            },
            overrides: {
              taskResourceLocalHandlers: {
                Plan: async (input) => {
                  this.enter(hazardId);
                  return { Payload: await this.tasks.plan(payloadOf(input)) };
                },
                RecordDueSteps: async (input) => {
                  this.enter(hazardId);
                  return { Payload: await this.tasks.escalate(payloadOf(input)) };
                },
                WaitForDecisionOrTimer: (input) => this.wait(payloadOf(input)),
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
        console.error(`lifecycle of ${hazardId} failed:`, error);
      })
      .finally(() => {
        this.executions.delete(hazardId);
        this.waiting.delete(hazardId);
        // The next generation takes over from the record, as on AWS.
        if (renewing) this.start(hazardId);
        this.leave(hazardId);
      });
  }

  /** A decision was written to the hazard's record: its workflow plans again now. */
  async wake(hazardId: string): Promise<void> {
    if (this.executions.has(hazardId)) this.waiting.get(hazardId)?.wake();
    else this.start(hazardId);
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

  isRunning(hazardId: string): boolean {
    return this.executions.has(hazardId);
  }

  async stop(): Promise<void> {
    for (const execution of this.executions.values()) execution.abort?.();
    await Promise.all([...this.executions.values()].map((execution) => execution.result));
  }

  private wait(payload: TaskPayload): Promise<{ woken: boolean }> {
    const dueAt = this.clock.now().getTime() + payload.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const wake = () => {
        this.waiting.delete(payload.hazardId);
        this.enter(payload.hazardId);
        resolve({ woken: true });
      };
      this.waiting.set(payload.hazardId, { dueAt, wake });
      this.leave(payload.hazardId);
    });
  }

  private enter(hazardId: string): void {
    // A wait the runner's own timeout ended is dropped: the workflow is planning again.
    this.waiting.delete(hazardId);
    this.active.add(hazardId);
  }

  private leave(hazardId: string): void {
    this.active.delete(hazardId);
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
