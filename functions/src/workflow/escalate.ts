import { count } from '../observability/metrics.ts';
import { recordRecordSteps, taskInput } from './lifecycle-task.ts';

/**
 * The state machines' RecordDueSteps task: records each due step (a hazard's ladder, a
 * tip's time limits) once on the record's log and delivers its notifications at least
 * once, each carrying its step key. A failed delivery throws: the task's Retry calls again
 * and the step is not recorded twice.
 */
export async function handler(event: unknown): Promise<{ recorded: number; delivered: number }> {
  const result = await recordRecordSteps(taskInput(event));
  count('EscalationsSent', result.recorded);
  return result;
}
