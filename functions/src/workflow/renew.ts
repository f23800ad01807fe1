import { executionName } from '@qingling/shared/adapters/aws/step-functions-workflow.ts';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';
import { recordOf, taskInput } from './lifecycle-task.ts';

/**
 * The state machine's ContinueAsNewGeneration task: before an execution nears a year or
 * 25,000 history events, starts the next generation, which plans again from the record.
 * The state machine passes its own ARN ($$.StateMachine.Id): one function serves the
 * hazard and the tip lifecycles, and no ARN has to be wired in (the state machine
 * references this function). Calling it again (the task's Retry) finds the execution
 * already started: that is success.
 */
export async function handler(event: unknown): Promise<{ executionName: string }> {
  const input = taskInput(event);
  const { field, id } = recordOf(input);
  const stateMachineArn = input.stateMachineArn;
  if (!stateMachineArn) throw new TypeError('The task input needs the stateMachineArn');
  const next = input.generation + 1;
  const name = executionName(id, next);
  await dependencies.lifecycleConductor().start(stateMachineArn, name, {
    [field]: id,
    generation: next,
  });
  logger.info('Lifecycle renewed', { [field]: id, generation: next });
  return { executionName: name };
}
