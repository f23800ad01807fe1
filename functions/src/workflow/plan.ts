import { planTurn, type TurnPlan } from '@qingling/shared/hazards/lifecycle.ts';
import { lifecycleDependencies, taskInput } from './lifecycle-task.ts';

/**
 * The state machine's Plan task: reads the hazard's record and the clock and says what to
 * do now (escalate, wait, renew or done) and how long to wait, 1 to 2,000,000 seconds.
 * It first claims the hazard for its generation: a stale execution is told it is done.
 */
export async function handler(event: unknown): Promise<TurnPlan> {
  return planTurn(lifecycleDependencies(), taskInput(event));
}
