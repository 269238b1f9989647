/**
 * The metrics port: what the handlers count, by name, without knowing how it is published. In Lambda
 * the Powertools adapter (adapters/powertools/) writes each count as CloudWatch Embedded Metric Format
 * to the function's log, in the namespace `Redress/<stage>`; the local stack and the tests count nothing
 * or count in memory. Dimensions are ids of our own making (a channel route), never message content.
 */

/** Every metric Redress publishes (README "Metrics"); each is a count. */
export const METRIC_NAMES = [
  'FeedbackReceived',
  'DuplicateDeliveries',
  'SignatureRejected',
  'ComplaintsOpened',
  'RepliesSent',
  'RepliesFailed',
  'SlaWarnings',
  'SlaBreaches',
  'ProcessingFailures',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The only dimension a count may carry besides the function's service: the channel route (`web`, `meta`…). */
export interface MetricDimensions {
  channel?: string;
}

export interface Metrics {
  /** Adds `value` (default 1) to the named count; zero or less is not published. */
  count(name: MetricName, value?: number, dimensions?: MetricDimensions): void;
}

/** Counts nothing (the default wherever no metrics port is wired). */
export const noMetrics: Metrics = { count: () => undefined };

/** Counts in memory, summed by name and channel (`name` or `name|channel`), for tests and the local stack. */
export class MemoryMetrics implements Metrics {
  readonly counts = new Map<string, number>();
  count(name: MetricName, value = 1, dimensions?: MetricDimensions): void {
    if (value <= 0) return;
    const key = dimensions?.channel ? `${name}|${dimensions.channel}` : name;
    this.counts.set(key, (this.counts.get(key) ?? 0) + value);
  }
}
