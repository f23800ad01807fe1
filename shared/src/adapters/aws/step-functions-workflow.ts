import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { EventStore } from '../../event-log/event-store.ts';
import { nextGeneration } from '../../hazards/lifecycle.ts';
import type { HazardWorkflow } from '../../ports/hazard-workflow.ts';

/** Executions are named `{hazardId}-{generation}`: one live execution per hazard. */
export const executionName = (hazardId: string, generation: number) => `${hazardId}-${generation}`;

/**
 * The lifecycle on Step Functions. Waking sends task success to the hazard's waiting
 * execution (its token is kept on the hazard's partition). When the token has just timed
 * out, the execution is planning again and will find the decision on the record: nothing
 * is lost. When no execution of the hazard is running (it had ended at closure, or failed),
 * the next generation starts from the record.
 */
export class StepFunctionsHazardWorkflow implements HazardWorkflow {
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;
  private readonly waits: {
    find(hazardId: string): Promise<{ taskToken: string; generation: number } | null>;
  };
  private readonly events: EventStore;

  constructor(options: {
    stateMachineArn: string;
    waits: StepFunctionsHazardWorkflow['waits'];
    events: EventStore;
    client?: SFNClient;
  }) {
    if (!options.stateMachineArn) throw new Error('The workflow needs its state machine ARN');
    this.stateMachineArn = options.stateMachineArn;
    this.waits = options.waits;
    this.events = options.events;
    this.client = options.client ?? new SFNClient({});
  }

  async wake(hazardId: string): Promise<void> {
    const wait = await this.waits.find(hazardId);
    if (wait) {
      try {
        await this.client.send(
          new SendTaskSuccessCommand({ taskToken: wait.taskToken, output: '{"woken":true}' }),
        );
        return;
      } catch (error) {
        const spent =
          error instanceof TaskTimedOut ||
          error instanceof TaskDoesNotExist ||
          error instanceof InvalidToken;
        if (!spent) throw error;
      }
      if (await this.isRunning(executionName(hazardId, wait.generation))) return;
    }
    await this.start(hazardId);
  }

  private async isRunning(name: string): Promise<boolean> {
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    try {
      const { status } = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return status === 'RUNNING';
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return false;
      throw error;
    }
  }

  private async start(hazardId: string): Promise<void> {
    const generation = await nextGeneration(this.events, hazardId);
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(hazardId, generation),
          input: JSON.stringify({ hazardId, generation }),
        }),
      );
    } catch (error) {
      // Someone woke it at the same moment: that execution will plan from the record.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}
