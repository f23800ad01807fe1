import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { executionName } from '@qingling/shared/adapters/aws/step-functions-workflow.ts';
import { logger } from '../http/api-handler.ts';
import { taskInput } from './lifecycle-task.ts';

let client: SFNClient | undefined;

/**
 * The state machine's ContinueAsNewGeneration task: before an execution nears a year or
 * 25,000 history events, starts the next generation, which plans again from the record.
 * STATE_MACHINE_ARN is computed by CDK from the stack and the fixed state machine name
 * (not a reference to the state machine, which references this function). Calling it
 * again (the task's Retry) finds the execution already started: that is success.
 */
export async function handler(event: unknown): Promise<{ executionName: string }> {
  const { hazardId, generation } = taskInput(event);
  const stateMachineArn = process.env.STATE_MACHINE_ARN;
  if (!stateMachineArn) throw new Error('Environment variable STATE_MACHINE_ARN is not set');
  const next = generation + 1;
  const name = executionName(hazardId, next);
  client ??= new SFNClient({});
  try {
    await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        name,
        input: JSON.stringify({ hazardId, generation: next }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
  logger.info('Lifecycle renewed', { hazardId, generation: next });
  return { executionName: name };
}
