/**
 * The Metrics port over Powertools for AWS Lambda's Metrics: counts in CloudWatch Embedded Metric
 * Format, namespace POWERTOOLS_METRICS_NAMESPACE (`Redress/<stage>`, set by the stack), dimension
 * `service` (the function) and, on per-channel counts, `channel`.
 */
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricDimensions, MetricName, Metrics } from '../../metrics.ts';

/** Powertools metrics for `service`, in POWERTOOLS_METRICS_NAMESPACE (`Redress/local` when unset). */
export function createPowertoolsMetrics(service: string, env: NodeJS.ProcessEnv = process.env): PowertoolsMetrics {
  return new PowertoolsMetrics({ serviceName: service, namespace: env.POWERTOOLS_METRICS_NAMESPACE || 'Redress/local' });
}

/**
 * Counts without a channel are stored and published together when the middleware flushes; a
 * per-channel count is a single metric of its own (its dimension set differs), published at once.
 */
export function powertoolsMetricsPort(metrics: PowertoolsMetrics): Metrics {
  return {
    count(name: MetricName, value = 1, dimensions?: MetricDimensions) {
      if (!(value > 0)) return;
      if (dimensions?.channel) {
        const single = metrics.singleMetric();
        single.addDimension('channel', dimensions.channel);
        single.addMetric(name, MetricUnit.Count, value);
        return;
      }
      metrics.addMetric(name, MetricUnit.Count, value);
    },
  };
}
