import { maxWaitSeconds } from '@qingling/shared/hazards/lifecycle.ts';
import { dependencies } from '../dependencies.ts';
import { logger } from '../http/api-handler.ts';
import { recordOf, taskInput } from './lifecycle-task.ts';

/**
 * The state machine's WaitForDecisionOrTimer task (`lambda:invoke.waitForTaskToken`):
 * keeps the task token on the hazard's partition so that a decision written to the record
 * can end the wait at once; otherwise the task's own timeout ends it. Returns at once: the
 * execution goes on waiting for the token. The token is a bearer secret: never logged.
 */
export async function handler(event: unknown): Promise<{ until: string }> {
  const input = taskInput(event);
  const { id, stream } = recordOf(input);
  const generation = input.generation;
  const { taskToken, timeoutSeconds } = (event ?? {}) as {
    taskToken?: unknown;
    timeoutSeconds?: unknown;
  };
  if (typeof taskToken !== 'string' || !taskToken) {
    throw new TypeError('The wait needs its task token');
  }
  if (
    typeof timeoutSeconds !== 'number' ||
    !Number.isInteger(timeoutSeconds) ||
    timeoutSeconds < 1 ||
    timeoutSeconds > maxWaitSeconds
  ) {
    throw new TypeError(`The wait needs timeoutSeconds, an integer from 1 to ${maxWaitSeconds}`);
  }
  const { until, stale } = await dependencies
    .lifecycleWaits()
    .register({ stream, generation, taskToken, timeoutSeconds });
  // A stale generation's wait is not kept: it times out, and its next Plan ends it.
  logger.info('Lifecycle waiting', { id, generation, until, stale });
  return { until };
}
