/**
 * Turns batches of constraint transitions into alarm episodes, one statement per batch. The
 * database decides: the event's natural key makes a duplicate (QoS 1 redelivery, a second
 * replica) a no-op, and the partial unique index `alarms_one_open_episode` keeps one open
 * episode per (device, sensor, rule). A batch holds at most one transition per key, and a
 * key's next transition starts only after the statement holding its previous one finished
 * (see TransitionSink): so the snapshot each statement reads already holds the previous
 * transition of its keys, committed by this replica or, via the conflict wait, by another.
 */
import { Injectable } from '@nestjs/common';
import type { ConstraintEvent } from '@iotmon/domain';
import { PgConnections } from '@iotmon/persistence';
import { AlarmOutbox } from './alarm-outbox';
import {
  alarmFields,
  rankSql,
  recordChangesSql,
  type RecordedChangeRow,
  type RecordedRow,
} from './alarm-sql';

export interface BatchResult {
  /** Transitions new to the database (the rest were duplicates). */
  stored: number;
  deliveries: number;
  /** Outbox rows leased to this replica (AlarmOutbox.send after commit). */
  sends: unknown[];
  /** `payload`: the NOTIFY payload (`<historyId>|<deviceId>|<event JSON>`) of the change. */
  changes: RecordedChangeRow[];
}

function batchSql(outbox: AlarmOutbox): string {
  const key = (a: string, b: string) =>
    `${a}.device_id = ${b}.device_id AND ${a}.sensor = ${b}.sensor AND ${a}.rule_id = ${b}.rule_id`;
  return `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                         $6::float8[], $7::timestamptz[], $8::text[], $9::bool[], $11::text[])
      AS i(device_id, sensor, rule_id, state, severity, value, ts, message, late, correlation_id)),
  ev AS (
    INSERT INTO constraint_events
      (device_id, sensor, rule_id, state, severity, value, ts, message, late)
    SELECT device_id, sensor, rule_id, state, severity, value, ts, message, late FROM input
    ON CONFLICT (device_id, sensor, rule_id, state, ts) DO NOTHING
    RETURNING device_id, sensor, rule_id, state, severity, value, ts, message, late),
  old AS (
    SELECT a.id, a.severity, a.state FROM alarms a JOIN input i ON ${key('a', 'i')}
     WHERE a.state <> 'cleared'),
  up AS (
    INSERT INTO alarms AS a (device_id, sensor, rule_id, state, severity, message, first_at,
                             last_at, count, peak_value, min_value, last_value)
    SELECT device_id, sensor, rule_id, 'active', severity, message, ts, ts, 1, value, value, value
      FROM ev WHERE state = 'raised'
       -- A raise opens (or repeats) an episode while its condition is still active: no later
       -- transition of its key is stored. A late (replayed) raise included; one overtaken by
       -- its own clear (a re-send that arrived after it) is recorded closed by 'past' below.
       AND NOT EXISTS (
             SELECT 1 FROM constraint_events c WHERE ${key('c', 'ev')} AND c.ts > ev.ts)
    ON CONFLICT (device_id, sensor, rule_id) WHERE state <> 'cleared' DO UPDATE SET
      last_at = GREATEST(a.last_at, EXCLUDED.last_at),
      count = a.count + 1,
      peak_value = GREATEST(a.peak_value, EXCLUDED.peak_value),
      min_value = LEAST(a.min_value, EXCLUDED.min_value),
      last_value = EXCLUDED.last_value,
      message = EXCLUDED.message,
      severity = CASE WHEN ${rankSql('EXCLUDED.severity')} > ${rankSql('a.severity')}
                      THEN EXCLUDED.severity ELSE a.severity END,
      state = CASE WHEN ${rankSql('EXCLUDED.severity')} > ${rankSql('a.severity')}
                        AND a.state = 'acknowledged' THEN 'active' ELSE a.state END,
      updated_at = now()
    RETURNING ${alarmFields('a')}, (xmax = 0) AS inserted),
  past AS (
    -- An overtaken raise (a later transition of its key is stored: its own clear, or the next
    -- raise when its clear is still on the way, e.g. re-sent after a database outage): the
    -- episode happened and was over by that transition. Recorded closed there, without
    -- history or notifications (nothing is news any more); its clear, if it comes, finds
    -- nothing open.
    INSERT INTO alarms (device_id, sensor, rule_id, state, severity, message, first_at, last_at,
                        count, peak_value, min_value, last_value, cleared_at, cleared_by)
    SELECT ev.device_id, ev.sensor, ev.rule_id, 'cleared', ev.severity, ev.message, ev.ts,
           nxt.ts, 1, ev.value, ev.value,
           CASE WHEN nxt.state = 'cleared' THEN nxt.value ELSE ev.value END, nxt.ts, $10
      FROM ev
      JOIN LATERAL (SELECT c.ts, c.value, c.state FROM constraint_events c
                     WHERE ${key('c', 'ev')} AND c.ts > ev.ts ORDER BY c.ts LIMIT 1) nxt ON true
     WHERE ev.state = 'raised'),
  cl AS (
    UPDATE alarms a SET state = 'cleared', cleared_at = ev.ts, cleared_by = $10,
           last_value = ev.value, shelved_until = NULL, updated_at = now()
      FROM ev
     WHERE ev.state = 'cleared' AND ${key('a', 'ev')} AND a.state <> 'cleared'
       AND a.first_at <= ev.ts
    RETURNING ${alarmFields('a')}, ev.ts AS ev_ts, ev.value AS ev_val),
  changes AS (
    SELECT ${alarmFields('up')},
           CASE WHEN up.inserted THEN 'raised'
                WHEN old.severity IS NOT NULL AND old.severity <> up.severity THEN 'escalated'
                ELSE 'repeated' END AS change,
           CASE WHEN up.inserted THEN NULL ELSE coalesce(old.state, up.state) END AS from_state,
           ev.ts AS event_ts, ev.value AS ev_value, $10::text AS actor, NULL::text AS note,
           i.correlation_id
      FROM up JOIN ev ON ${key('ev', 'up')} AND ev.state = 'raised'
      JOIN input i ON ${key('i', 'ev')} AND i.state = ev.state AND i.ts = ev.ts
      LEFT JOIN old ON old.id = up.id
    UNION ALL
    SELECT ${alarmFields('cl')}, 'cleared', old.state, cl.ev_ts, cl.ev_val, $10::text, NULL::text,
           i.correlation_id
      FROM cl LEFT JOIN old ON old.id = cl.id
      LEFT JOIN input i ON ${key('i', 'cl')} AND i.state = 'cleared' AND i.ts = cl.ev_ts),
  ${recordChangesSql(outbox, false, true).replace(
    'SELECT (SELECT deliveries FROM outbox) AS deliveries,',
    'SELECT (SELECT count(*)::int FROM ev) AS stored, (SELECT deliveries FROM outbox) AS deliveries,',
  )}`;
}

@Injectable()
export class AlarmEngine {
  private readonly sql: string;

  constructor(
    private readonly pg: PgConnections,
    outbox: AlarmOutbox,
  ) {
    this.sql = batchSql(outbox);
  }

  /** Applies transitions with pairwise distinct (device, sensor, rule) keys in one statement. */
  async applyBatch(
    events: readonly ConstraintEvent[],
    source: 'edge' | 'server',
    correlationIds: readonly (string | undefined)[] = [],
  ): Promise<BatchResult> {
    const n = events.length;
    const cols = {
      device: new Array<string>(n),
      sensor: new Array<string>(n),
      rule: new Array<string>(n),
      state: new Array<string>(n),
      severity: new Array<string>(n),
      value: new Array<number>(n),
      ts: new Array<string>(n),
      message: new Array<string>(n),
      late: new Array<boolean>(n),
    };
    for (let i = 0; i < n; i++) {
      const e = events[i];
      cols.device[i] = e.deviceId;
      cols.sensor[i] = e.sensor;
      cols.rule[i] = e.ruleId;
      cols.state[i] = e.state;
      cols.severity[i] = e.severity;
      cols.value[i] = e.value;
      cols.ts[i] = new Date(e.ts).toISOString();
      cols.message[i] = e.message;
      cols.late[i] = e.late === true;
    }
    const [row] = await this.pg.rows<RecordedRow & { stored: number }>(
      this.sql,
      [
        cols.device,
        cols.sensor,
        cols.rule,
        cols.state,
        cols.severity,
        cols.value,
        cols.ts,
        cols.message,
        cols.late,
        source,
        events.map((_, i) => correlationIds[i] ?? null),
      ],
      'alerting_apply_batch',
    );
    return {
      stored: row.stored,
      deliveries: row.deliveries,
      sends: row.sends,
      changes: row.changes,
    };
  }
}
