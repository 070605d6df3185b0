/**
 * Records one alarm transition inside the caller's transaction: the history row, the live
 * notification (pg_notify, delivered to every replica at commit) and the webhook outbox rows.
 */
import { Injectable } from '@nestjs/common';
import type { AlarmState } from '@iotmon/domain';
import type { EntityManager } from 'typeorm';
import { NotificationOutbox } from '../notifications/notification-outbox';
import { toAlarmView, type AlarmChange, type AlarmChangeEvent, type AlarmRow } from './alarm-view';

export const LIVE_CHANNEL = 'iotmon_alarm_changes';

export interface ChangeDetails {
  actor?: string | null;
  note?: string | null;
  eventTs?: number | null;
  value?: number | null;
}

export interface RecordedChange {
  event: AlarmChangeEvent;
  deliveries: number;
}

@Injectable()
export class AlarmRecorder {
  constructor(private readonly outbox: NotificationOutbox) {}

  async record(
    m: EntityManager,
    row: AlarmRow,
    change: AlarmChange,
    from: AlarmState | null,
    d: ChangeDetails = {},
  ): Promise<RecordedChange> {
    const at = new Date();
    const partial: Omit<AlarmChangeEvent, 'id'> = {
      change,
      from,
      to: row.state,
      at: at.toISOString(),
      actor: d.actor ?? null,
      note: d.note ?? null,
      eventTs: d.eventTs ?? null,
      value: d.value ?? null,
      alarm: toAlarmView(row),
    };
    const [h]: { id: string }[] = await m.query(
      `WITH h AS (
         INSERT INTO alarm_history
           (alarm_id, change, from_state, to_state, severity, value, actor, note, event_ts, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id)
       SELECT h.id::text AS id,
              pg_notify('${LIVE_CHANNEL}', (jsonb_build_object('id', h.id::text) || $11::jsonb)::text)
         FROM h`,
      [
        row.id,
        change,
        from,
        row.state,
        row.severity,
        d.value ?? null,
        d.actor ?? null,
        d.note ?? null,
        d.eventTs == null ? null : new Date(d.eventTs),
        at,
        JSON.stringify(partial),
      ],
    );
    const event: AlarmChangeEvent = { id: h.id, ...partial };
    const deliveries = await this.outbox.enqueue(m, event);
    return { event, deliveries };
  }
}
