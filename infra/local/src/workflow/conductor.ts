import type { TurnPlan } from '@qingling/shared/hazards/lifecycle.ts';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import { StateMachine } from 'aws-local-stepfunctions';

/**
 * The embedded cloud's Step Functions: runs the same ASL file with aws-local-stepfunctions.
 * The callback task (the workflow's only timer) is served by a local registry instead of
 * `.waitForTaskToken`: a wait ends when a decision is signalled for its hazard, when the
 * injected clock passes its due time (`tick`), or when the runner's own timeout fires.
 * Nothing is kept in memory that the record does not hold: after a restart, `start` on
 * each open hazard plans again from its log.
 */
export interface LifecycleTasks {
  plan(hazardId: string): Promise<TurnPlan>;
  escalate(hazardId: string): Promise<unknown>;
}

interface Waiting {
  dueAt: number;
  wake: () => void;
}

export class LocalWorkflowConductor {
  private readonly machine: StateMachine;
  private readonly clock: Clock;
  private readonly tasks: LifecycleTasks;
  private readonly executions = new Map<string, { abort: () => void; result: Promise<unknown> }>();
  private readonly waiting = new Map<string, Waiting>();
  /** Hazards whose workflow is between waits: planning or recording. */
  private readonly active = new Set<string>();
  private idleListeners: (() => void)[] = [];

  constructor(options: { definition: unknown; clock: Clock; tasks: LifecycleTasks }) {
    this.machine = new StateMachine(options.definition as never, {
      validationOptions: { checkArn: false },
    });
    this.clock = options.clock;
    this.tasks = options.tasks;
  }

  /** Starts the hazard's execution unless one is live: one live execution per hazard. */
  start(hazardId: string): void {
    if (this.executions.has(hazardId)) return;
    this.enter(hazardId);
    const execution = this.machine.run(
      { hazardId, generation: 1 },
      {
        noThrowOnAbort: true,
        // The local runner has no task tokens: the registry below is keyed by hazard.
        context: { Task: { Token: `local:${hazardId}` } },
        overrides: {
          taskResourceLocalHandlers: {
            Plan: async (input) => {
              this.enter(payloadOf(input).hazardId);
              return { Payload: await this.tasks.plan(payloadOf(input).hazardId) };
            },
            RecordDueSteps: async (input) => {
              this.enter(payloadOf(input).hazardId);
              await this.tasks.escalate(payloadOf(input).hazardId);
              return { Payload: { recorded: true } };
            },
            WaitForDecisionOrTimer: (input) => this.wait(payloadOf(input)),
            ContinueAsNewGeneration: async () => ({}),
          },
        },
      },
    );
    const result = execution.result
      .catch((error: unknown) => {
        console.error(`lifecycle of ${hazardId} failed:`, error);
      })
      .finally(() => {
        this.executions.delete(hazardId);
        this.waiting.delete(hazardId);
        this.leave(hazardId);
      });
    this.executions.set(hazardId, { abort: execution.abort, result });
  }

  /** A decision was written to the hazard's record: its workflow plans again now. */
  signal(hazardId: string): void {
    this.waiting.get(hazardId)?.wake();
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
    for (const execution of this.executions.values()) execution.abort();
    await Promise.all([...this.executions.values()].map((execution) => execution.result));
  }

  private wait(payload: { hazardId: string; timeoutSeconds: number }): Promise<{ woken: boolean }> {
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

function payloadOf(input: unknown): { hazardId: string; timeoutSeconds: number } {
  return (input as { Payload: { hazardId: string; timeoutSeconds: number } }).Payload;
}
