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

export const ALARM_FIELDS = [
  'id',
  'device_id',
  'sensor',
  'rule_id',
  'state',
  'severity',
  'message',
  'first_at',
  'last_at',
  'count',
  'peak_value',
  'min_value',
  'last_value',
  'acknowledged_by',
  'acknowledged_at',
  'shelved_until',
  'cleared_by',
  'cleared_at',
  'updated_at',
] as const;

/** `t.id, t.device_id, ...` */
export const alarmFields = (t: string) => ALARM_FIELDS.map((f) => `${t}.${f}`).join(', ');

/** Same format as Date.prototype.toISOString. */
export const isoSql = (e: string) =>
  `to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const rankSql = (e: string) =>
  `array_position(ARRAY['info','warning','critical']::text[], ${e})`;

/** The AlarmView JSON of the row `t`. */
export const alarmJsonSql = (t: string) => `json_build_object(
  'id', ${t}.id::text, 'deviceId', ${t}.device_id, 'sensor', ${t}.sensor, 'ruleId', ${t}.rule_id,
  'state', ${t}.state, 'severity', ${t}.severity, 'message', ${t}.message,
  'firstAt', ${isoSql(`${t}.first_at`)}, 'lastAt', ${isoSql(`${t}.last_at`)}, 'count', ${t}.count,
  'peakValue', ${t}.peak_value, 'minValue', ${t}.min_value, 'lastValue', ${t}.last_value,
  'acknowledgedBy', ${t}.acknowledged_by, 'acknowledgedAt', ${isoSql(`${t}.acknowledged_at`)},
  'shelvedUntil', ${isoSql(`${t}.shelved_until`)}, 'clearedBy', ${t}.cleared_by,
  'clearedAt', ${isoSql(`${t}.cleared_at`)}, 'updatedAt', ${isoSql(`${t}.updated_at`)})`;

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
