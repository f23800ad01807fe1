import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { HazardWorkflow } from '../../ports/hazard-workflow.ts';
import type { LifecycleConductor } from '../../ports/lifecycle-conductor.ts';
import type { TurnPlan } from '../../workflow/turns.ts';

/** Executions are named `{hazardId}-{generation}`: one live execution per hazard. */
export const executionName = (hazardId: string, generation: number) => `${hazardId}-${generation}`;

/** How a kind of record's lifecycle is found: its input field, its stream, its generation. */
export interface LifecycleRecordKind {
  field: 'hazardId' | 'tipId';
  stream(id: string): string;
  nextGeneration(id: string): Promise<number>;
}

/**
 * A record's lifecycle on Step Functions (a hazard's, a tip's). Waking sends task success
 * to the record's waiting execution (its token is kept on the record's partition). When
 * the token has just timed out, the execution is planning again and will find the
 * decision on the record: nothing is lost. When no execution of the record is running (it
 * had ended at closure, or failed), the next generation starts from the record.
 */
export class StepFunctionsRecordWorkflow implements HazardWorkflow {
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;
  private readonly waits: {
    find(
      stream: string,
    ): Promise<{ taskToken?: string; generation: number; ended?: boolean } | null>;
  };
  private readonly kind: LifecycleRecordKind;

  constructor(options: {
    stateMachineArn: string;
    waits: StepFunctionsRecordWorkflow['waits'];
    kind: LifecycleRecordKind;
    client?: SFNClient;
  }) {
    if (!options.stateMachineArn) throw new Error('The workflow needs its state machine ARN');
    this.stateMachineArn = options.stateMachineArn;
    this.waits = options.waits;
    this.kind = options.kind;
    this.client = options.client ?? new SFNClient({});
  }

  async wake(id: string): Promise<void> {
    const wait = await this.waits.find(this.kind.stream(id));
    // A lifecycle that said it ended is not running: the next generation starts.
    if (wait?.taskToken && !wait.ended) {
      try {
        await endWait(this.client, wait.taskToken);
        return;
      } catch (error) {
        if (!spentToken(error)) throw error;
      }
      if (await this.isRunning(executionName(id, wait.generation))) return;
    }
    await this.start(id);
  }

  /**
   * Starts `{id}-{generation}` at once: the record was just created with that generation
   * claimed, so there is no wait to find and no generation to read. A second start of the
   * same name (a retry) finds the execution there already.
   */
  async begin(id: string, generation: number, firstTurn?: TurnPlan | null): Promise<void> {
    await this.startExecution(id, generation, firstTurn ?? undefined);
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

  private async start(id: string): Promise<void> {
    await this.startExecution(id, await this.kind.nextGeneration(id));
  }

  private async startExecution(id: string, generation: number, firstTurn?: TurnPlan) {
    // Someone woke it at the same moment: that execution will plan from the record.
    await startOnce(this.client, this.stateMachineArn, executionName(id, generation), {
      [this.kind.field]: id,
      generation,
      ...(firstTurn ? { firstTurn } : {}),
    });
  }
}

/** Starts the named execution; one already started by that name is success. */
async function startOnce(
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  input: Record<string, unknown>,
): Promise<void> {
  try {
    await client.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}

/** Task success for a waiting lifecycle: it plans again now. */
async function endWait(client: SFNClient, taskToken: string): Promise<void> {
  await client.send(new SendTaskSuccessCommand({ taskToken, output: '{"woken":true}' }));
}

/** A task token already ended (woken by someone else, or timed out): nothing to wake. */
const spentToken = (error: unknown) =>
  error instanceof TaskTimedOut ||
  error instanceof TaskDoesNotExist ||
  error instanceof InvalidToken;

/** The lifecycle tasks' own calls to Step Functions (renew, see the definition, end a wait). */
export class StepFunctionsLifecycleConductor implements LifecycleConductor {
  private readonly client: SFNClient;

  constructor(options: { client?: SFNClient } = {}) {
    this.client = options.client ?? new SFNClient({});
  }

  async start(stateMachineArn: string, name: string, input: Record<string, unknown>) {
    await startOnce(this.client, stateMachineArn, name, input);
  }

  async definitionHolds(stateMachineArn: string, text: string): Promise<boolean> {
    const machine = await this.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    return machine.definition?.includes(text) ?? false;
  }

  /**
   * RegisterWait's own wake (a decision landed while Plan ran). A handler's wake may have
   * ended the same wait first, between the WAIT item's write and this call: then the
   * lifecycle is planning again already, and the task must not fail for it.
   */
  async endWait(taskToken: string): Promise<void> {
    try {
      await endWait(this.client, taskToken);
    } catch (error) {
      if (!spentToken(error)) throw error;
    }
  }
}
