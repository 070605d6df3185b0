/**
 * Records operator and timer changes of one alarm in the caller's transaction: the update,
 * its history, webhook outbox rows and the live notification, in one statement (the same
 * tail the edge path uses, see alarm-sql.ts).
 */
import { Injectable } from '@nestjs/common';
import type { Sql } from '@iotmon/persistence';
import { AlarmOutbox } from './alarm-outbox';
import { alarmFields, recordChangesSql, type RecordedRow } from './alarm-sql';
import type { AlarmChange, AlarmChangeEvent } from './alarm-view';

export interface RecordedChange {
  events: AlarmChangeEvent[];
  deliveries: number;
  /** Outbox rows leased to this replica: hand them to AlarmOutbox.send after commit. */
  sends: unknown[];
}

export interface UpdatePlan {
  change: AlarmChange;
  /** Bound to `$1`: the alarm id, or the sweep's limit. */
  key: unknown;
  /** SET clause; may use `$2`... for `params`. */
  set: string;
  /** WHERE clause selecting the rows to change. */
  where: string;
  params: unknown[];
  actor: string;
  note?: string | null;
}

@Injectable()
export class AlarmRecorder {
  private readonly tail: string;

  constructor(outbox: AlarmOutbox) {
    this.tail = recordChangesSql(outbox, true);
  }

  async apply(m: Sql, plan: UpdatePlan): Promise<RecordedChange> {
    const n = plan.params.length + 1;
    const [row] = await m.rows<RecordedRow>(
      `WITH old AS (SELECT id, state FROM alarms WHERE ${plan.where}),
       upd AS (
         UPDATE alarms SET ${plan.set}, updated_at = now()
          WHERE id IN (SELECT id FROM old) RETURNING ${alarmFields('alarms')}),
       changes AS (
         SELECT ${alarmFields('upd')}, $${n + 1}::text AS change, old.state AS from_state,
                NULL::timestamptz AS event_ts, NULL::float8 AS ev_value,
                $${n + 2}::text AS actor, $${n + 3}::text AS note,
                NULL::text AS correlation_id
           FROM upd JOIN old ON old.id = upd.id),
       ${this.tail}`,
      [plan.key, ...plan.params, plan.change, plan.actor, plan.note ?? null],
    );
    return {
      deliveries: row.deliveries,
      sends: row.sends,
      events: row.changes.map((c) => c.event as AlarmChangeEvent),
    };
  }
}
