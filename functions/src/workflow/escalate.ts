import type { StepsRecorded } from '@qingling/shared/workflow/turns.ts';
import { count } from '../observability/metrics.ts';
import { recordRecordSteps, taskInput } from './lifecycle-task.ts';

/**
 * The state machines' RecordDueSteps task: records each due step (a hazard's ladder, a
 * tip's time limits) once on the record's log and delivers its notifications at least
 * once, each carrying its step key. A failed delivery throws: the task's Retry calls again
 * and the step is not recorded twice. Its result names what follows (`next`): a wait
 * planned from the record as the recording left it goes straight to the timer, without a
 * Plan task reading the record again; anything else goes through Plan.
 */
export async function handler(event: unknown): Promise<StepsRecorded> {
  const result = await recordRecordSteps(taskInput(event));
  count('EscalationsSent', result.recorded);
  return result;
}
