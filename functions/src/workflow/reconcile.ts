import type { BackfillRun } from '@qingling/shared/adapters/dynamodb/backfills.ts';
import type { Budget } from '@qingling/shared/adapters/dynamodb/budget.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { tipStream } from '@qingling/shared/tips/tip.ts';
import {
  type Reconciliation,
  reconcile,
  reconcilerTiming,
} from '@qingling/shared/workflow/reconcile.ts';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import * as dependencies from '../dependencies.ts';
import { respond } from '../deploy/custom-resource.ts';
import { logger } from '../observability/logger.ts';
import { count } from '../observability/metrics.ts';
import { deployedDefinitions } from './lifecycle-task.ts';

const hazardPrefix = hazardStream('');
const tipPrefix = tipStream('');

/** Which lifecycle a record's stream has: a hazard's, a tip's, or none. */
function lifecycleKind(stream: string): 'hazard' | 'tip' | undefined {
  if (stream.startsWith(hazardPrefix)) return 'hazard';
  if (stream.startsWith(tipPrefix)) return 'tip';
  return undefined;
}

/** Wakes the record's lifecycle (or starts its next generation) through its workflow. */
function wakeStream(stream: string): Promise<void> {
  return lifecycleKind(stream) === 'hazard'
    ? dependencies.hazardWorkflow().wake(stream.slice(hazardPrefix.length))
    : dependencies.tipWorkflow().wake(stream.slice(tipPrefix.length));
}

/**
 * A changed hazard's or tip's statistics code against its state: true when it was behind
 * and moved.
 */
export async function checkRecordCounters(stream: string): Promise<boolean> {
  const kind = lifecycleKind(stream);
  const store = dependencies.hazardStatistics();
  if (kind === 'hazard') {
    return (await store.retally(stream.slice(hazardPrefix.length))) === 'moved';
  }
  if (kind === 'tip') return (await store.retallyTip(stream.slice(tipPrefix.length))) === 'moved';
  return false;
}

/**
 * The reconciler's sweep over both lifecycles (hazards', tips'), wired from the
 * composition root: on AWS a scheduled function every five minutes; on the embedded cloud
 * a timer on the clock's heartbeat, and once at every start. What it woke is a metric
 * (LifecyclesRepaired): on a healthy system it stays at zero.
 */
export async function reconcileRecords(timing = reconcilerTiming): Promise<Reconciliation> {
  const waits = dependencies.lifecycleWaits();
  const result = await reconcile(
    {
      clock: dependencies.clock(),
      waitingUntil: (before) => waits.waitingUntil(before),
      lifecycleOf: (stream) => waits.find(stream),
      changes: (from, to) => dependencies.recentChanges(from, to),
      hasLifecycle: (stream) => lifecycleKind(stream) !== undefined,
      wake: wakeStream,
      checkCounters: checkRecordCounters,
    },
    timing,
  );
  if (result.woken > 0) logger.warn('Reconciler woke lifecycles', { ...result });
  if (result.countersRepaired) logger.warn('Reconciler repaired counters', { ...result });
  count('LifecyclesRepaired', result.woken);
  return result;
}

/**
 * What the sweep keeps of the function's four minutes: the backfills start no piece of
 * work (a jurisdiction's counters, a hazard) with less left.
 */
export const sweepReserveMs = 120_000;

/**
 * The one-time data backfills a stack upgraded from an older version still lacks (one
 * BatchGetItem of their markers; nothing more once all are done): run before the sweep,
 * within the budget. One stopped by it leaves its marker unwritten and goes on at the next
 * run (five minutes later), skipping what it did. Undefined when there was none to run.
 */
export async function runBackfills(budget: Budget): Promise<BackfillRun | undefined> {
  const store = dependencies.backfills();
  const missing = await store.missing();
  if (!missing.length) return undefined;
  const jurisdictions = (await dependencies.jurisdictions()).map(({ code }) => code);
  // Before the seed's first run there is nothing to backfill, and nothing to mark done.
  if (!jurisdictions.length) return { finished: [], unfinished: missing };
  const run = await store.run(missing, jurisdictions, { now: dependencies.clock().now(), budget });
  logger.info('Backfills run', { ...run });
  return run;
}

/** The budget of a run: until the sweep's reserve of the function's remaining time. */
const budgetOf = (context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>>): Budget => ({
  expired: () =>
    (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) < sweepReserveMs,
});

/** The scheduled run: the missing backfills, then the sweep. */
async function scheduledRun(
  context: Partial<Pick<Context, 'getRemainingTimeInMillis'>> | undefined,
  timing = reconcilerTiming,
): Promise<unknown> {
  const backfilled = await runBackfills(budgetOf(context));
  const result = await reconcileRecords(timing);
  return backfilled ? { ...result, backfills: backfilled } : result;
}

/**
 * After a deploy that changed a lifecycle's definition: wakes every waiting lifecycle whose
 * execution runs an older one (its WAIT item says which), so that it plans now and renews
 * onto the new definition, instead of waiting up to 23 days for its timer. Ten at a time.
 */
export async function renewOlderDefinitions(
  deployed: Partial<Record<'hazard' | 'tip', string>>,
): Promise<{ woken: number }> {
  const waits = dependencies.lifecycleWaits();
  const wakes: Promise<void>[] = [];
  let woken = 0;
  for await (const wait of waits.waitingUntil()) {
    const kind = lifecycleKind(wait.stream);
    const current = kind && deployed[kind];
    if (!current || wait.definition === current) continue;
    woken += 1;
    wakes.push(wakeStream(wait.stream));
    if (wakes.length >= 10) await Promise.all(wakes.splice(0));
  }
  await Promise.all(wakes);
  logger.info('Lifecycles woken onto the new definition', { woken, ...deployed });
  return { woken };
}

/**
 * The scheduled function (EventBridge, every five minutes). An operator may invoke it with
 * `{"graceSeconds": 0}` to sweep at once after an incident (0 to 3,600; the default is the
 * 15 minutes a lifecycle may take to see a change), or `{"renewDefinitions": true}`. A
 * sweep first runs the data backfills an upgrade left missing (`runBackfills`). As a
 * CloudFormation custom resource (Custom::QinglingLifecycleRenewal, whose properties are the
 * definitions' fingerprints) it runs the renewal sweep on every deploy that changed one.
 */
export async function handler(
  event?: unknown,
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
): Promise<unknown> {
  if (isCustomResourceEvent(event)) {
    let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
    let reason = 'Waiting lifecycles woken onto the new definitions';
    let data: Record<string, unknown> = {};
    try {
      if (event.RequestType !== 'Delete') data = await renewOlderDefinitions(deployedDefinitions());
    } catch (error) {
      status = 'FAILED';
      reason = `Lifecycles not woken: ${(error as Error).message}`;
      logger.error('Lifecycles not woken onto the new definitions', { error: error as Error });
    }
    await respond(event, 'qingling-lifecycle-renewal', status, reason, data);
    return data;
  }
  const request = (event ?? {}) as { graceSeconds?: unknown; renewDefinitions?: unknown };
  if (request.renewDefinitions === true) return renewOlderDefinitions(deployedDefinitions());
  const grace = request.graceSeconds;
  if (grace === undefined) return scheduledRun(context);
  if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > 3600) {
    throw new TypeError('graceSeconds must be an integer from 0 to 3600');
  }
  return scheduledRun(context, { ...reconcilerTiming, graceMs: grace * 1000 });
}

function isCustomResourceEvent(event: unknown): event is CloudFormationCustomResourceEvent {
  const candidate = event as Partial<CloudFormationCustomResourceEvent> | null | undefined;
  return typeof candidate?.RequestType === 'string' && typeof candidate.ResponseURL === 'string';
}
