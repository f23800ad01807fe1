import type { TurnPlan } from '@qingling/shared/workflow/turns.ts';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';
import { count } from '../observability/metrics.ts';
import {
  deployedDefinitions,
  type LifecycleTaskInput,
  planRecordTurn,
  recordOf,
  taskInput,
} from './lifecycle-task.ts';

/**
 * The state machines' Plan task: reads the record (a hazard or a tip) and the clock and
 * says what to do now (escalate, wait, renew or done) and how long to wait, 1 to 2,000,000
 * seconds, with the record's version it planned from. It first claims the record for its
 * generation: a stale execution is told it is done. A lifecycle that is done says so on
 * its WAIT item, which leaves the index of next-due times (the reconciler's).
 *
 * New definitions take over running lifecycles: an execution whose definition is not the
 * one deployed last (LIFECYCLE_DEFINITIONS) renews, so the next generation runs the new
 * definition; the deploy wakes every waiting lifecycle (the reconciler's renewal sweep).
 */
export async function handler(event: unknown): Promise<TurnPlan> {
  const input = taskInput(event);
  if (await runsAnOlderDefinition(input)) {
    logger.info('Lifecycle renews onto the new definition', { definition: input.definition });
    return { action: 'renew', timeoutSeconds: 1, turn: (input.turn ?? 0) + 1, version: 0 };
  }
  const plan = await planRecordTurn(input);
  // The first turn of a generation that goes on: a lifecycle (re)started.
  if (!input.turn && plan.action !== 'done') count('LifecyclesStarted');
  if (plan.action === 'done' && plan.version > 0) {
    await dependencies.lifecycleWaits().end(recordOf(input).stream, input.generation, plan.version);
  }
  return plan;
}

/**
 * Whether this execution runs an older definition than the one deployed, and the state
 * machine already has the new one (a deploy updates the function and the state machine
 * one after the other: renewing before the machine has changed would start the old one).
 */
async function runsAnOlderDefinition(input: LifecycleTaskInput): Promise<boolean> {
  const deployed = deployedDefinitions()['hazardId' in input ? 'hazard' : 'tip'];
  if (!deployed || !input.definition || input.definition === deployed) return false;
  if (!input.stateMachineArn) return false;
  return dependencies.lifecycleConductor().definitionHolds(input.stateMachineArn, deployed);
}
