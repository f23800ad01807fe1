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

const metrics = new Metrics({ namespace: 'Qingling', serviceName: 'qingling' });

/** Adds to a count and publishes it at once: handlers need no wrapper to flush. */
export function count(name: Counted, value = 1): void {
  if (value <= 0) return;
  metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}
