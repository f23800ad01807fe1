import { planTurn, type TurnPlan } from '@qingling/shared/hazards/lifecycle.ts';
import { lifecycleDependencies, taskInput } from './lifecycle-task.ts';

/**
 * The state machine's Plan task: reads the hazard's record and the clock and says what to
 * do now (escalate, wait, or done) and how long to wait, 1 to 2,000,000 seconds.
 */
export async function handler(event: unknown): Promise<TurnPlan> {
  const { hazardId } = taskInput(event);
  return planTurn(lifecycleDependencies(), hazardId);
}
