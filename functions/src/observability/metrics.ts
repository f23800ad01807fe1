import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * What operators watch, as CloudWatch metrics in the embedded metric format (Powertools
 * Metrics writes them to the function's log; no API call, no grant). Namespace Qingling,
 * dimension service. The embedded cloud turns them off (POWERTOOLS_METRICS_DISABLED).
 */
export type Counted =
  | 'TipsReceived'
  | 'LifecyclesStarted'
  | 'EscalationsSent'
  | 'NotificationsDelivered'
  | 'DeliveriesFailed'
  | 'LifecyclesRestarted'
  | 'LifecyclesRepaired';

/**
 * Made at the first count, not at import: Metrics reads POWERTOOLS_METRICS_DISABLED when it
 * is constructed, and the embedded cloud imports the handlers before it sets its variables
 * (made at import, every tip printed an EMF line on the `npm start` console).
 */
let metrics: Metrics | undefined;

/** Adds to a count and publishes it at once: handlers need no wrapper to flush. */
export function count(name: Counted, value = 1): void {
  if (value <= 0) return;
  metrics ??= new Metrics({ namespace: 'Qingling', serviceName: 'qingling' });
  metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}
