import type { TurnPlan } from '@qingling/shared/workflow/turns.ts';
import { dependencies } from '../dependencies.ts';
import { count } from '../observability/metrics.ts';
import { planRecordTurn, recordOf, taskInput } from './lifecycle-task.ts';

/**
 * The state machines' Plan task: reads the record (a hazard or a tip) and the clock and
 * says what to do now (escalate, wait, renew or done) and how long to wait, 1 to 2,000,000
 * seconds, with the record's version it planned from. It first claims the record for its
 * generation: a stale execution is told it is done. A lifecycle that is done says so on
 * its WAIT item, which leaves the index of next-due times (the reconciler's).
 */
export async function handler(event: unknown): Promise<TurnPlan> {
  const input = taskInput(event);
  const plan = await planRecordTurn(input);
  // The first turn of a generation that goes on: a lifecycle (re)started.
  if (!input.turn && plan.action !== 'done') count('LifecyclesStarted');
  if (plan.action === 'done' && plan.version > 0) {
    await dependencies.lifecycleWaits().end(recordOf(input).stream, input.generation, plan.version);
  }
  return plan;
}
