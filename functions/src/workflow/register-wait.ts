import { hazardProjection } from '@qingling/shared/hazards/hazard.ts';
import { maxWaitSeconds } from '@qingling/shared/hazards/lifecycle.ts';
import { tipProjection } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';
import { recordOf, taskInput } from './lifecycle-task.ts';

/**
 * The state machine's WaitForDecisionOrTimer task (`lambda:invoke.waitForTaskToken`):
 * keeps the task token on the record's partition so that a decision written to the record
 * can end the wait at once; otherwise the task's own timeout ends it. Returns at once: the
 * execution goes on waiting for the token. The token is a bearer secret: never logged.
 *
 * No lost wake-up: a decision written after Plan read the record (version `seenVersion`)
 * but before this token could be found woke nobody. So, once the token is findable, the
 * record's version is read again; if it moved, the wait ends itself now and Plan runs
 * again. A decision written after that finds this token.
 */
export async function handler(event: unknown): Promise<{ until: string; woken: boolean }> {
  const input = taskInput(event);
  const { id, field, stream } = recordOf(input);
  const generation = input.generation;
  const { taskToken, timeoutSeconds, seenVersion } = (event ?? {}) as {
    taskToken?: unknown;
    timeoutSeconds?: unknown;
    seenVersion?: unknown;
  };
  const { definition } = input;
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
  const seen = typeof seenVersion === 'number' ? seenVersion : undefined;
  const { until, stale } = await dependencies.lifecycleWaits().register({
    stream,
    generation,
    taskToken,
    timeoutSeconds,
    ...(seen !== undefined ? { seenVersion: seen } : {}),
    ...(definition ? { definition } : {}),
  });
  // A stale generation's wait is not kept: it times out, and its next Plan ends it.
  let woken = false;
  if (!stale && seen !== undefined) {
    const events = dependencies.eventStore();
    const current =
      field === 'hazardId'
        ? await events.load(stream, hazardProjection)
        : await events.load(stream, tipProjection);
    if ((current?.version ?? 0) > seen) {
      await dependencies.lifecycleConductor().endWait(taskToken);
      woken = true;
    }
  }
  logger.info('Lifecycle waiting', { id, generation, until, stale, woken });
  return { until, woken };
}
