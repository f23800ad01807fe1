import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { tipStream } from '@qingling/shared/tips/tip.ts';
import {
  type Reconciliation,
  reconcile,
  reconcilerTiming,
} from '@qingling/shared/workflow/reconcile.ts';
import { dependencies } from '../dependencies.ts';
import { logger } from '../http/api-handler.ts';
import { count } from '../observability/metrics.ts';

const hazardPrefix = hazardStream('');
const tipPrefix = tipStream('');

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
      hasLifecycle: (stream) => stream.startsWith(hazardPrefix) || stream.startsWith(tipPrefix),
      wake: (stream) =>
        stream.startsWith(hazardPrefix)
          ? dependencies.hazardWorkflow().wake(stream.slice(hazardPrefix.length))
          : dependencies.tipWorkflow().wake(stream.slice(tipPrefix.length)),
    },
    timing,
  );
  if (result.woken > 0) logger.warn('Reconciler woke lifecycles', { ...result });
  count('LifecyclesRepaired', result.woken);
  return result;
}

/**
 * The scheduled function (EventBridge, every five minutes). An operator may invoke it with
 * `{"graceSeconds": 0}` to sweep at once after an incident (0 to 3,600; the default is the
 * 15 minutes a lifecycle may take to see a change).
 */
export async function handler(event?: unknown): Promise<Reconciliation> {
  const grace = (event as { graceSeconds?: unknown } | null | undefined)?.graceSeconds;
  if (grace === undefined) return reconcileRecords();
  if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > 3600) {
    throw new TypeError('graceSeconds must be an integer from 0 to 3600');
  }
  return reconcileRecords({ ...reconcilerTiming, graceMs: grace * 1000 });
}
