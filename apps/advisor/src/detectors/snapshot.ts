/**
 * What the detectors look at: metric series, log lines and named table snapshots, all taken
 * at one instant `at`. The live sources build one per evaluation; the evaluation set stores
 * them as fixtures, so a detector is a pure function of this and nothing else.
 */

/** One time series: a metric name, its labels (job, instance, …) and [unix ms, value] points. */
export interface Series {
  metric: string;
  labels: Record<string, string>;
  points: [number, number][];
}

export interface LogLine {
  ts: number;
  /** The app that wrote it (api, alerting, edge, …). */
  app: string;
  level: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
}

export type Row = Record<string, string | number | boolean | null>;

/** Named result sets of the read-only SQL templates (see sources/fleet-queries.ts). */
export interface Tables {
  /** The advisor's own `SELECT 1` probes: {at, ok, latency_ms, error}. */
  db_probe?: Row[];
  /** Sessions: {pid, state, wait_event_type, wait_event, running_s, query}. */
  pg_activity?: Row[];
  /** Ungranted locks: {pid, locktype, relation, mode, waiting_s, blocked_by}. */
  pg_lock_waits?: Row[];
  /** Checkpointer counters sampled over time: {at, num_timed, num_requested, buffers_written}. */
  checkpointer?: Row[];
  /** Readings partitions: {name, day, bytes}. */
  partitions?: Row[];
  /** Retention in days the api applies (0 = keep everything): [{retention_days, disk_bytes_free}]. */
  retention?: Row[];
  /** Alarm transitions in the window: {alarm_id, device_id, sensor, rule_id, change, severity, value, at}. */
  alarm_history?: Row[];
  /** Threshold rules: {rule_id, sensor, op, value}. */
  rules?: Row[];
  /** Readings of flapping keys: {device_id, sensor, ts, value}. */
  flap_readings?: Row[];
  /** Devices: {id, name, location, presence, last_seen_at, last_reading_at, median_interval_s}. */
  devices?: Row[];
  /** Per device and sensor: {device_id, sensor, hist_mean, hist_std, hist_n, recent_mean, recent_n}. */
  reading_stats?: Row[];
  /** Webhook attempts in the window per target: {subscription_id, url, attempts, failures, dead, last_error}. */
  webhook_targets?: Row[];
  /** TLS certificates checked: {target, not_after, subject}. */
  certificates?: Row[];
}

export interface Snapshot {
  /** Unix ms at which the snapshot was taken. */
  at: number;
  series: Series[];
  logs: LogLine[];
  tables: Tables;
}

export type Severity = 'info' | 'warning' | 'critical';

/** What proves a finding: a metric (or PromQL), a SQL template's rows, or log lines. */
export interface Evidence {
  kind: 'metric' | 'rows' | 'logs';
  /** The metric name or PromQL expression, the SQL template name, or the log source. */
  source: string;
  /** One sentence with the numbers. */
  detail: string;
  /** For charts: the series that shows it. */
  points?: [number, number][];
  rows?: Row[];
  lines?: LogLine[];
}

export const DETECTORS = [
  'database-unreachable',
  'ingest-stalled',
  'ingest-write-failures',
  'ingest-lag-rising',
  'consumer-down',
  'backlog-growing',
  'replica-imbalance',
  'replicas-cpu-bound',
  'db-pool-saturated',
  'db-lock-waits',
  'db-slow-statements',
  'db-checkpoint-pressure',
  'disk-growth-beyond-retention',
  'alarm-storm',
  'flapping-rule',
  'device-silent',
  'device-drift',
  'webhook-failing',
  'certificate-expiry',
] as const;
export type DetectorId = (typeof DETECTORS)[number];

export interface Finding {
  /** `${detector}:${subject}`: stable across evaluations, so history can group by it. */
  id: string;
  detector: DetectorId;
  severity: Severity;
  /** What it is about: `postgresql`, `api/api-1`, `edge-1/temperature/temp-high`, … */
  subject: string;
  title: string;
  /** Between 0 and 1: how sure the detector is, from how much evidence agrees. */
  confidence: number;
  /** The change that would help, when one can be computed. */
  suggestion?: string;
  evidence: Evidence[];
}

export type Detector = (s: Snapshot) => Finding[];

export function finding(f: Omit<Finding, 'id'>): Finding {
  return { id: `${f.detector}:${f.subject}`, ...f, confidence: round(f.confidence, 2) };
}

export function round(v: number, digits = 2): number {
  const p = 10 ** digits;
  return Math.round(v * p) / p;
}
