import type { TurnPlan } from '@qingling/shared/workflow/turns.ts';
import { count } from '../observability/metrics.ts';
import { planRecordTurn, taskInput } from './lifecycle-task.ts';

/**
 * The state machines' Plan task: reads the record (a hazard or a tip) and the clock and
 * says what to do now (escalate, wait, renew or done) and how long to wait, 1 to 2,000,000
 * seconds. It first claims the record for its generation: a stale execution is told it is
 * done.
 */
export async function handler(event: unknown): Promise<TurnPlan> {
  const input = taskInput(event);
  const plan = await planRecordTurn(input);
  // The first turn of a generation that goes on: a lifecycle (re)started.
  if (!input.turn && plan.action !== 'done') count('LifecyclesStarted');
  return plan;
}
