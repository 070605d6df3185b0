/** The metrics the detectors read; the only ones kept from a scrape or asked of Prometheus. */
export const DETECTOR_METRICS = [
  'up',
  'iotmon_ready',
  'readings_ingested_total',
  'mqtt_messages_consumed_total',
  'mqtt_readings_rejected_total',
  'readings_commit_seconds_sum',
  'readings_commit_seconds_count',
  'process_cpu_seconds_total',
  'db_pool_connections',
  'edge_outbox_depth',
  'alerting_notification_failures_total',
  'alerting_alarms_raised_total',
] as const;
