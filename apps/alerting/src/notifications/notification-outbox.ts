/**
 * Writes webhook deliveries for one alarm change, inside the change's transaction (an
 * outbox): the change and its notifications commit together or not at all. Applies the
 * subscription filters, the per-alarm rate limit and quiet hours.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlarmChange, AlarmChangeEvent } from '../alarms/alarm-view';
import { SEVERITY_RANK } from '../alarms/alarm-view';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { releaseTime } from './quiet-hours';

/** Changes a subscription gets when it names none. `repeated` is never sent. */
export const DEFAULT_CHANGES: readonly AlarmChange[] = ['raised', 'escalated', 'cleared'];
export const NOTIFIABLE_CHANGES: readonly AlarmChange[] = [
  'raised',
  'escalated',
  'acknowledged',
  'shelved',
  'unshelved',
  'cleared',
];
const RATE_LIMITED: ReadonlySet<AlarmChange> = new Set(['raised', 'escalated']);

/** The JSON body POSTed to a webhook. */
export interface WebhookBody {
  type: 'alarm.change';
  subscriptionId: string;
  event: AlarmChangeEvent;
}

@Injectable()
export class NotificationOutbox {
  constructor(@Inject(ALERTING_CONFIG) private readonly config: AlertingConfig) {}

  /** Returns the number of deliveries written. */
  async enqueue(m: EntityManager, e: AlarmChangeEvent): Promise<number> {
    if (e.change === 'repeated') return 0;
    if (e.change === 'escalated' && e.alarm.state === 'shelved') return 0;
    const a = e.alarm;
    const subs: {
      id: string;
      quiet_from: number | null;
      quiet_to: number | null;
      quiet_tz: string;
    }[] = await m.query(
      `SELECT id::text, quiet_from, quiet_to, quiet_tz FROM webhook_subscriptions
          WHERE enabled
            AND (severities IS NULL OR $1 = ANY(severities))
            AND (device_ids IS NULL OR $2 = ANY(device_ids))
            AND (rule_ids IS NULL OR $3 = ANY(rule_ids))
            AND (CASE WHEN changes IS NULL THEN $4 = ANY($5::text[]) ELSE $4 = ANY(changes) END)`,
      [a.severity, a.deviceId, a.ruleId, e.change, DEFAULT_CHANGES],
    );
    let written = 0;
    const now = new Date();
    const windowMs = this.config.webhooks.notifyWindowMs;
    for (const s of subs) {
      const quiet =
        s.quiet_from === null || s.quiet_to === null || a.severity === 'critical'
          ? null
          : { from: s.quiet_from, to: s.quiet_to, tz: s.quiet_tz };
      const body: WebhookBody = { type: 'alarm.change', subscriptionId: s.id, event: e };
      const values = [
        s.id,
        a.id,
        e.id,
        e.change,
        JSON.stringify(body),
        releaseTime(now, quiet),
        e.eventTs === null ? now : new Date(e.eventTs),
      ];
      const insert = `INSERT INTO webhook_deliveries
          (subscription_id, alarm_id, history_id, change, body, next_attempt_at, event_ts)`;
      let rows: unknown[];
      if (RATE_LIMITED.has(e.change) && windowMs > 0) {
        // The row lock on the rate-limit state serialises replicas; only one passes the WHERE.
        rows = await m.query(
          `WITH ok AS (
             INSERT INTO webhook_notify_state AS s
               (subscription_id, device_id, sensor, rule_id, last_at, last_rank)
             VALUES ($1, $8, $9, $10, now(), $11)
             ON CONFLICT (subscription_id, device_id, sensor, rule_id) DO UPDATE
               SET last_at = now(), last_rank = EXCLUDED.last_rank
               WHERE s.last_at <= now() - $12 * interval '1 millisecond'
                  OR EXCLUDED.last_rank > s.last_rank
             RETURNING 1)
           ${insert} SELECT $1, $2, $3, $4, $5, $6, $7 FROM ok
           ON CONFLICT DO NOTHING RETURNING 1`,
          [...values, a.deviceId, a.sensor, a.ruleId, SEVERITY_RANK[a.severity], windowMs],
        );
      } else {
        rows = await m.query(
          `${insert} VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
          values,
        );
      }
      written += rows.length;
    }
    return written;
  }
}
