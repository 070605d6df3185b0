/**
 * SQL shared by every path that changes an alarm. A change is recorded by one statement
 * ending in `recordChangesSql`: it reads a CTE named `changes` (the changed alarm rows plus
 * change, from_state, event_ts, ev_value, actor, note) and writes the history, the outbox
 * rows (SQL owned by the feature behind AlarmOutbox: notifications) and the live notification
 * (pg_notify, delivered to every replica at commit) in the same round trip. The batch path also
 * gets the NOTIFY payloads back, so its own replica pushes them as soon as the commit returns.
 */
import type { AlarmOutbox } from './alarm-outbox';
import { LIVE_CHANNEL } from './live-channel';

/**
 * The alarms table's columns and the AlarmView key each becomes: the one list that every
 * statement returning an alarm (RETURNING lists, the JSON REST, webhooks and the live feed
 * carry) is derived from. `iso` columns are timestamps, sent as ISO-8601 strings.
 */
const ALARM_COLUMNS: readonly { column: string; key: string; iso?: true }[] = [
  { column: 'id', key: 'id' },
  { column: 'device_id', key: 'deviceId' },
  { column: 'sensor', key: 'sensor' },
  { column: 'rule_id', key: 'ruleId' },
  { column: 'state', key: 'state' },
  { column: 'severity', key: 'severity' },
  { column: 'message', key: 'message' },
  { column: 'first_at', key: 'firstAt', iso: true },
  { column: 'last_at', key: 'lastAt', iso: true },
  { column: 'count', key: 'count' },
  { column: 'peak_value', key: 'peakValue' },
  { column: 'min_value', key: 'minValue' },
  { column: 'last_value', key: 'lastValue' },
  { column: 'acknowledged_by', key: 'acknowledgedBy' },
  { column: 'acknowledged_at', key: 'acknowledgedAt', iso: true },
  { column: 'shelved_until', key: 'shelvedUntil', iso: true },
  { column: 'cleared_by', key: 'clearedBy' },
  { column: 'cleared_at', key: 'clearedAt', iso: true },
  { column: 'updated_at', key: 'updatedAt', iso: true },
];

/** `t.id, t.device_id, ...` */
export const alarmFields = (t: string) => ALARM_COLUMNS.map((c) => `${t}.${c.column}`).join(', ');

/** Same format as Date.prototype.toISOString. */
export const isoSql = (e: string) =>
  `to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const rankSql = (e: string) =>
  `array_position(ARRAY['info','warning','critical']::text[], ${e})`;

/** The AlarmView JSON of the row `t`. */
export const alarmJsonSql = (t: string) =>
  `json_build_object(${ALARM_COLUMNS.map(({ column, key, iso }) => {
    const e = `${t}.${column}`;
    return `'${key}', ${iso ? isoSql(e) : column === 'id' ? `${e}::text` : e}`;
  }).join(', ')})`;

/**
 * The tail of a change statement. Returns one row: `stored` is left to the caller's CTEs,
 * `deliveries` counts outbox rows written, `changes` lists {change, severity[, event]}.
 */
export function recordChangesSql(
  outbox: AlarmOutbox,
  withEvents: boolean,
  withPayloads = false,
): string {
  return `
  h AS (
    INSERT INTO alarm_history
      (alarm_id, change, from_state, to_state, severity, value, actor, note, event_ts, at)
    SELECT id, change, from_state, state, severity, ev_value, actor, note, event_ts, clock_timestamp()
      FROM changes
    RETURNING id AS history_id, alarm_id, at),
  j AS (
    SELECT c.*, h.history_id, json_build_object(
             'id', h.history_id::text, 'change', c.change, 'from', c.from_state, 'to', c.state,
             'at', ${isoSql('h.at')}, 'actor', c.actor, 'note', c.note,
             'eventTs', (extract(epoch FROM c.event_ts) * 1000)::int8, 'value', c.ev_value,
             'alarm', ${alarmJsonSql('c')}) AS event
      FROM h JOIN changes c ON c.id = h.alarm_id),
  ${outbox.sql},
  payloads AS (
    SELECT change, severity, event, id, device_id, sensor, rule_id, correlation_id,
           history_id::text || '|' || device_id || '|' || event::text AS payload
      FROM j),
  notified AS (
    SELECT change, severity, id, device_id, sensor, rule_id, correlation_id,
           ${withEvents ? 'event,' : ''} ${withPayloads ? 'payload,' : ''}
           pg_notify('${LIVE_CHANNEL}', payload)
      FROM payloads)
  SELECT (SELECT deliveries FROM outbox) AS deliveries, (SELECT sends FROM outbox) AS sends,
         (SELECT coalesce(json_agg(json_build_object('change', change, 'severity', severity,
                  'alarmId', id::text, 'deviceId', device_id, 'sensor', sensor, 'ruleId', rule_id,
                  'correlationId', correlation_id
                  ${withEvents ? ", 'event', event" : ''}${withPayloads ? ", 'payload', payload" : ''})), '[]'::json) FROM notified) AS changes`;
}

/** One alarm change a statement recorded; `correlationId` is the one its transition carried. */
export interface RecordedChangeRow {
  change: string;
  severity: string;
  alarmId: string;
  deviceId: string;
  sensor: string;
  ruleId: string;
  correlationId: string | null;
  event?: unknown;
  payload?: string;
}

export interface RecordedRow {
  deliveries: number;
  /** The outbox's rows to send after commit (AlarmOutbox.send). */
  sends: unknown[];
  /** `payload`: the NOTIFY payload, when asked for (`withPayloads`). */
  changes: RecordedChangeRow[];
}
