/** Read side of alarms: filtered, keyset-paginated lists and one episode with its history. */
import { PgConnections } from '@iotmon/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@iotmon/server-kit';
import { alarmJsonSql } from './alarm-sql';
import type { AlarmChange, AlarmView } from './alarm-view';
import type { AlarmsQueryDto } from './dto/alarms-query.dto';

export interface AlarmPage {
  items: AlarmView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface HistoryEntry {
  id: string;
  change: AlarmChange;
  from: string | null;
  to: string;
  severity: string;
  value: number | null;
  actor: string | null;
  note: string | null;
  eventTs: string | null;
  at: string;
}

export interface AlarmDetail extends AlarmView {
  history: HistoryEntry[];
}

@Injectable()
export class AlarmQueries {
  constructor(@Inject(PgConnections) private readonly pg: PgConnections) {}

  async list(q: AlarmsQueryDto): Promise<AlarmPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    if (q.state?.length) where.push(`state = ANY(${p(q.state)}::text[])`);
    if (q.severity?.length) where.push(`severity = ANY(${p(q.severity)}::text[])`);
    if (q.deviceId) where.push(`device_id = ${p(q.deviceId)}`);
    if (q.sensor) where.push(`sensor = ${p(q.sensor)}`);
    if (q.ruleId) where.push(`rule_id = ${p(q.ruleId)}`);
    // Time filters select episodes that overlap [from, to).
    if (q.from) where.push(`coalesce(cleared_at, 'infinity') >= ${p(q.from)}`);
    if (q.to) where.push(`first_at < ${p(q.to)}`);
    if (q.before) where.push(`id < ${p(q.before)}`);
    const rows = await this.pg.rows<{ alarm: AlarmView }>(
      `SELECT ${alarmJsonSql('alarms')} AS alarm FROM alarms ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ${p(q.limit + 1)}`,
      params,
    );
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit).map((r) => r.alarm);
    return { items, nextCursor: more ? items[items.length - 1].id : null };
  }

  async get(id: string): Promise<AlarmDetail> {
    const [row] = await this.pg.rows<{ alarm: AlarmView }>(
      `SELECT ${alarmJsonSql('alarms')} AS alarm FROM alarms WHERE id = $1`,
      [id],
    );
    if (!row) throw AppError.notFound(`alarm ${id}`);
    const history = await this.pg.rows<{
      id: string;
      change: AlarmChange;
      from_state: string | null;
      to_state: string;
      severity: string;
      value: number | null;
      actor: string | null;
      note: string | null;
      event_ts: Date | null;
      at: Date;
    }>(
      `SELECT id::text, change, from_state, to_state, severity, value, actor, note, event_ts, at
         FROM alarm_history WHERE alarm_id = $1 ORDER BY id`,
      [id],
    );
    return {
      ...row.alarm,
      history: history.map((h) => ({
        id: h.id,
        change: h.change,
        from: h.from_state,
        to: h.to_state,
        severity: h.severity,
        value: h.value,
        actor: h.actor,
        note: h.note,
        eventTs: h.event_ts ? h.event_ts.toISOString() : null,
        at: h.at.toISOString(),
      })),
    };
  }
}
