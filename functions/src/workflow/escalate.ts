import { recordDueSteps } from '@qingling/shared/hazards/lifecycle.ts';
import { lifecycleDependencies, taskInput } from './lifecycle-task.ts';

/**
 * The state machine's RecordDueSteps task: records each due ladder step once on the
 * hazard's log and delivers its notifications at least once, each carrying its step key.
 * A failed delivery throws: the task's Retry calls again and the step is not recorded twice.
 */
export async function handler(event: unknown): Promise<{ recorded: number; delivered: number }> {
  return recordDueSteps(lifecycleDependencies(), taskInput(event));
}
