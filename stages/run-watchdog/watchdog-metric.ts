/**
 * The run watchdog's metric, in CloudWatch Embedded Metric Format: one JSON log line that
 * CloudWatch Logs turns into a data point (no PutMetricData call, no extra permission). Infra
 * builds its alarm from the same names, so the line and the alarm cannot drift apart.
 */

export const WATCHDOG_METRIC = {
  namespace: 'PodcastPlatform',
  /** Runs the watchdog failed in one check (0 when it found none: the metric always has data). */
  name: 'StalledRunsFailed',
  /** One series per stack, so two stacks in one account and region alarm separately. */
  dimension: 'StackName',
} as const;

/** The EMF document for one check (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html). */
export function watchdogMetricDocument(
  failedCount: number,
  stackName: string,
  at: Date
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: WATCHDOG_METRIC.namespace,
          Dimensions: [[WATCHDOG_METRIC.dimension]],
          Metrics: [{ Name: WATCHDOG_METRIC.name, Unit: 'Count' }],
        },
      ],
    },
    [WATCHDOG_METRIC.dimension]: stackName,
    [WATCHDOG_METRIC.name]: failedCount,
  };
}
