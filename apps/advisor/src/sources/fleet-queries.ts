/**
 * The read-only SQL templates: fleet presence, alarm rates, flapping keys, noisy devices, table
 * growth, partitions and retention, PostgreSQL activity. Each result set is one table of the
 * snapshot (see detectors/snapshot.ts) and one tool the LLM may call by name; nothing else runs.
 */
export interface SqlTemplate {
  name: string;
  /** What it answers, for the LLM's tool description and the evidence. */
  about: string;
  sql: string;
  /** How often the collector re-runs it (heavier scans less often). */
  everyMs: number;
}

export const SQL_TEMPLATES: SqlTemplate[] = [
  {
    name: 'devices',
    about:
      'devices with name, location, presence, last_seen_at and the median interval of their recent readings',
    everyMs: 10_000,
    sql: `
      SELECT d.id, d.name, d.location, d.presence, d.last_seen_at,
        (SELECT max(ts) FROM readings r WHERE r.device_id = d.id AND r.ts > now() - interval '1 day') AS last_reading_at,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY dt) FROM (
           SELECT extract(epoch FROM ts - lag(ts) OVER (ORDER BY ts)) AS dt FROM (
             SELECT DISTINCT ts FROM readings r
              WHERE r.device_id = d.id AND r.ts > now() - interval '1 hour'
              ORDER BY ts DESC LIMIT 50) x) y
          WHERE dt > 0) AS median_interval_s
        FROM devices d WHERE d.last_seen_at IS NOT NULL
       ORDER BY d.last_seen_at LIMIT 500`,
  },
  {
    name: 'reading_stats',
    about:
      'per device and sensor: mean and spread of the 24 h before the last 10 min vs the last 10 min',
    everyMs: 60_000,
    sql: `
      SELECT device_id, sensor,
        avg(value) FILTER (WHERE ts <= now() - interval '10 minutes') AS hist_mean,
        stddev_samp(value) FILTER (WHERE ts <= now() - interval '10 minutes') AS hist_std,
        count(*) FILTER (WHERE ts <= now() - interval '10 minutes') AS hist_n,
        avg(value) FILTER (WHERE ts > now() - interval '10 minutes') AS recent_mean,
        count(*) FILTER (WHERE ts > now() - interval '10 minutes') AS recent_n
        FROM readings WHERE ts > now() - interval '24 hours'
       GROUP BY device_id, sensor LIMIT 5000`,
  },
  {
    name: 'alarm_history',
    about:
      'alarm transitions (raised, cleared, …) of the last 15 minutes with device, sensor and rule',
    everyMs: 5_000,
    sql: `
      SELECT h.alarm_id, a.device_id, a.sensor, a.rule_id, h.change, h.severity, h.value, h.at
        FROM alarm_history h JOIN alarms a ON a.id = h.alarm_id
       WHERE h.at > now() - interval '15 minutes'
       ORDER BY h.id DESC LIMIT 2000`,
  },
  {
    name: 'rules',
    about: 'threshold rules of every rule set: rule_id, sensor, op, value',
    everyMs: 10_000,
    sql: `
      SELECT r->>'id' AS rule_id, r->>'sensor' AS sensor, r->>'op' AS op, (r->>'value')::float8 AS value
        FROM rule_sets s, jsonb_array_elements(s.body->'rules') r
       WHERE r->>'kind' = 'threshold'`,
  },
  {
    name: 'flap_readings',
    about: 'readings of the last 15 minutes of device/sensor pairs that raised 4 or more alarms',
    everyMs: 10_000,
    sql: `
      WITH keys AS (
        SELECT a.device_id, a.sensor FROM alarm_history h JOIN alarms a ON a.id = h.alarm_id
         WHERE h.at > now() - interval '15 minutes' AND h.change = 'raised'
         GROUP BY 1, 2 HAVING count(*) >= 4 LIMIT 10)
      SELECT r.device_id, r.sensor, r.ts, r.value
        FROM readings r JOIN keys k USING (device_id, sensor)
       WHERE r.ts > now() - interval '15 minutes' ORDER BY r.ts LIMIT 5000`,
  },
  {
    name: 'partitions',
    about: 'readings partitions holding data, their day and total size in bytes',
    everyMs: 60_000,
    sql: `
      SELECT c.relname AS name, to_char(to_date(substr(c.relname, 11), 'YYYYMMDD'), 'YYYY-MM-DD') AS day,
             pg_total_relation_size(c.oid) AS bytes
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'readings'::regclass AND c.relname ~ '^readings_p[0-9]{8}$'
         AND pg_relation_size(c.oid) > 0
       ORDER BY c.relname`,
  },
  {
    name: 'pg_activity',
    about: 'PostgreSQL sessions that are not idle: state, wait event, seconds running, query text',
    everyMs: 5_000,
    sql: `
      SELECT pid, state, wait_event_type, wait_event,
             extract(epoch FROM now() - CASE WHEN state = 'active' THEN query_start ELSE coalesce(xact_start, state_change) END) AS running_s,
             left(query, 200) AS query
        FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND backend_type = 'client backend' AND state IS DISTINCT FROM 'idle'
         AND query NOT ILIKE 'LISTEN%'`,
  },
  {
    name: 'pg_lock_waits',
    about: 'locks not granted: waiting pid, relation, mode, seconds waiting, blocking pids',
    everyMs: 5_000,
    sql: `
      SELECT l.pid, l.locktype, coalesce(c.relname, l.locktype) AS relation, l.mode,
             extract(epoch FROM now() - coalesce(l.waitstart, a.query_start)) AS waiting_s,
             array_to_string(pg_blocking_pids(l.pid), ',') AS blocked_by
        FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation
        JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE NOT l.granted`,
  },
  {
    name: 'webhook_targets',
    about:
      'webhook attempts of the last 15 minutes per subscription: attempts, failures, dead letters, last error',
    everyMs: 10_000,
    sql: `
      SELECT s.id AS subscription_id, regexp_replace(s.url, '[?#].*$', '') AS url,
             count(*) AS attempts,
             count(*) FILTER (WHERE a.status_code IS NULL OR a.status_code NOT BETWEEN 200 AND 299) AS failures,
             count(DISTINCT d.id) FILTER (WHERE d.status = 'dead') AS dead,
             (array_agg(coalesce(a.error, 'HTTP ' || a.status_code) ORDER BY a.id DESC)
                FILTER (WHERE a.status_code IS NULL OR a.status_code NOT BETWEEN 200 AND 299))[1] AS last_error
        FROM webhook_subscriptions s
        JOIN webhook_deliveries d ON d.subscription_id = s.id
        JOIN webhook_attempts a ON a.delivery_id = d.id
       WHERE a.at > now() - interval '15 minutes'
       GROUP BY s.id, s.url`,
  },
];

/** Checkpoint counters; PostgreSQL 17 moved them from pg_stat_bgwriter to pg_stat_checkpointer. */
export const CHECKPOINTER_SQL = [
  `SELECT now() AS at, num_timed, num_requested, buffers_written FROM pg_stat_checkpointer`,
  `SELECT now() AS at, checkpoints_timed AS num_timed, checkpoints_req AS num_requested, buffers_checkpoint AS buffers_written FROM pg_stat_bgwriter`,
];

export const RETENTION_SQL = `SELECT $1::int AS retention_days, pg_database_size(current_database()) AS db_bytes, $2::bigint AS disk_budget_bytes`;
