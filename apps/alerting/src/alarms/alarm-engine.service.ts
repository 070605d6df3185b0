/**
 * Turns constraint transitions into alarm episodes. Every step is one transaction, and the
 * database decides: the event's natural key makes a duplicate (QoS 1 redelivery, a second
 * replica) a no-op, and the partial unique index `alarms_one_open_episode` keeps one open
 * episode per (device, sensor, rule).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConstraintEvent } from '@iotmon/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '../common/returning';
import { AlarmRecorder, type RecordedChange } from './alarm-recorder';
import { ALARM_COLUMNS, sqlRank, type AlarmRow } from './alarm-view';

export type ApplyOutcome = 'duplicate' | 'stored' | 'changed';

export interface ApplyResult {
  outcome: ApplyOutcome;
  change?: RecordedChange;
}

const ALARM_COLUMNS_OF = (t: string) =>
  ALARM_COLUMNS.split(',')
    .map((c) => `${t}.${c.trim()}`)
    .join(', ');

@Injectable()
export class AlarmEngine {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly recorder: AlarmRecorder,
  ) {}

  /** Applies one transition; `source` names who decided it ('edge' or 'server'). */
  apply(e: ConstraintEvent, source: 'edge' | 'server' = 'edge'): Promise<ApplyResult> {
    return this.db.transaction('READ COMMITTED', async (m) => {
      const stored: unknown[] = await m.query(
        `INSERT INTO constraint_events
           (device_id, sensor, rule_id, state, severity, value, ts, message, late)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (device_id, sensor, rule_id, state, ts) DO NOTHING RETURNING 1`,
        [
          e.deviceId,
          e.sensor,
          e.ruleId,
          e.state,
          e.severity,
          e.value,
          new Date(e.ts),
          e.message,
          e.late === true,
        ],
      );
      if (stored.length === 0) return { outcome: 'duplicate' };
      // Replayed data is history: it never opens (or re-opens) an episode.
      if (e.state === 'raised' && e.late) return { outcome: 'stored' };
      const change =
        e.state === 'raised' ? await this.raise(m, e, source) : await this.clear(m, e, source);
      return change ? { outcome: 'changed', change } : { outcome: 'stored' };
    });
  }

  private async raise(
    m: EntityManager,
    e: ConstraintEvent,
    source: string,
  ): Promise<RecordedChange> {
    // `old` is the open episode (if any) as the upsert found it: sub-statements share one
    // snapshot. No FOR UPDATE there: it would skip the row the upsert itself changes. Writers
    // of one key are already serialised by the event insert above.
    const [row]: (AlarmRow & {
      inserted: boolean;
      old_severity: string | null;
      old_state: string | null;
    })[] = await m.query(
      `WITH old AS (
           SELECT id, severity, state FROM alarms
            WHERE device_id = $1 AND sensor = $2 AND rule_id = $3 AND state <> 'cleared'),
         up AS (
           INSERT INTO alarms AS a (device_id, sensor, rule_id, state, severity, message, first_at,
                                    last_at, count, peak_value, min_value, last_value)
           VALUES ($1, $2, $3, 'active', $4, $5, $6, $6, 1, $7, $7, $7)
           ON CONFLICT (device_id, sensor, rule_id) WHERE state <> 'cleared' DO UPDATE SET
             last_at = GREATEST(a.last_at, EXCLUDED.last_at),
             count = a.count + 1,
             peak_value = GREATEST(a.peak_value, EXCLUDED.peak_value),
             min_value = LEAST(a.min_value, EXCLUDED.min_value),
             last_value = EXCLUDED.last_value,
             message = EXCLUDED.message,
             severity = CASE WHEN ${sqlRank('EXCLUDED.severity')} > ${sqlRank('a.severity')}
                             THEN EXCLUDED.severity ELSE a.severity END,
             state = CASE WHEN ${sqlRank('EXCLUDED.severity')} > ${sqlRank('a.severity')}
                               AND a.state = 'acknowledged' THEN 'active' ELSE a.state END,
             updated_at = now()
           RETURNING ${ALARM_COLUMNS}, (xmax = 0) AS inserted)
         SELECT up.*, old.severity AS old_severity, old.state AS old_state
           FROM up LEFT JOIN old ON old.id::text = up.id`,
      [e.deviceId, e.sensor, e.ruleId, e.severity, e.message, new Date(e.ts), e.value],
    );
    const details = { eventTs: e.ts, value: e.value, actor: source };
    if (row.inserted) return this.recorder.record(m, row, 'raised', null, details);
    const escalated = row.old_severity !== null && row.old_severity !== row.severity;
    const from = (row.old_state ?? row.state) as AlarmRow['state'];
    return this.recorder.record(m, row, escalated ? 'escalated' : 'repeated', from, details);
  }

  private async clear(
    m: EntityManager,
    e: ConstraintEvent,
    source: string,
  ): Promise<RecordedChange | undefined> {
    const rows = returningRows<AlarmRow & { old_state: AlarmRow['state'] }>(
      await m.query(
        `UPDATE alarms AS a SET state = 'cleared', cleared_at = $4, cleared_by = $5,
              last_value = $6, updated_at = now()
         FROM (SELECT id, state FROM alarms
                WHERE device_id = $1 AND sensor = $2 AND rule_id = $3 AND state <> 'cleared'
                  AND first_at <= $4
                FOR UPDATE) old
        WHERE a.id = old.id
        RETURNING ${ALARM_COLUMNS_OF('a')}, old.state AS old_state`,
        [e.deviceId, e.sensor, e.ruleId, new Date(e.ts), source, e.value],
      ),
    );
    if (rows.length === 0) return undefined;
    const row = rows[0];
    return this.recorder.record(m, row, 'cleared', row.old_state, {
      eventTs: e.ts,
      value: e.value,
      actor: source,
    });
  }
}
