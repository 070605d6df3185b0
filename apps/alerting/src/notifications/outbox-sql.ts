/**
 * The webhook outbox's share of the statement that records an alarm change (AlarmOutbox.sql):
 * subscription filters, per-alarm rate limit and quiet hours decide which outbox rows are
 * written, so a change and its notifications commit together or not at all.
 */
import { rankSql } from '../alarms/alarm-sql';

/** How long a replica owns a delivery it is sending before another may retry it. */
export const DELIVERY_LEASE_MS = 60_000;

/** Changes a subscription gets when it names none. `repeated` is never sent. */
export const DEFAULT_CHANGES = ['raised', 'escalated', 'cleared'] as const;

/** A delivery leased to this replica by the statement that wrote it: send it now. */
export interface LeasedDelivery {
  id: string;
  body: string;
  attempts: number;
  eventTs: number | null;
  /** When the delivery was written, with its alarm change (epoch ms): alarm → webhook latency. */
  createdAt: number;
  url: string;
  secret: string;
}

/** The outbox CTEs after `j`, ending in `outbox` (deliveries, sends); see AlarmOutbox. */
export function outboxSql(notifyWindowMs: number): string {
  const w = Math.max(0, Math.floor(notifyWindowMs));
  const local = (part: string) => `extract(${part} FROM now() AT TIME ZONE s.quiet_tz)`;
  return `
  t AS (
    SELECT j.*, s.id AS sub_id, s.quiet_from, s.quiet_to,
           CASE WHEN s.quiet_from IS NULL OR s.quiet_to IS NULL OR s.quiet_from = s.quiet_to
                     OR j.severity = 'critical' THEN NULL
                ELSE (${local('hour')} * 60 + ${local('minute')})::int END AS local_min
      FROM j JOIN webhook_subscriptions s ON s.enabled
       AND (s.severities IS NULL OR j.severity = ANY(s.severities))
       AND (s.device_ids IS NULL OR j.device_id = ANY(s.device_ids))
       AND (s.rule_ids IS NULL OR j.rule_id = ANY(s.rule_ids))
       AND (CASE WHEN s.changes IS NULL
                 THEN j.change IN (${DEFAULT_CHANGES.map((c) => `'${c}'`).join(', ')})
                 ELSE j.change = ANY(s.changes) END)
     WHERE j.change <> 'repeated' AND NOT (j.change = 'escalated' AND j.state = 'shelved')),
  rl AS (
    INSERT INTO webhook_notify_state AS ns
      (subscription_id, device_id, sensor, rule_id, last_at, last_rank)
    SELECT sub_id, device_id, sensor, rule_id, now(), ${rankSql('severity')}
      FROM t WHERE change IN ('raised', 'escalated') AND ${w} > 0
    ON CONFLICT (subscription_id, device_id, sensor, rule_id) DO UPDATE
       SET last_at = now(), last_rank = EXCLUDED.last_rank
     WHERE ns.last_at <= now() - ${w} * interval '1 millisecond'
        OR EXCLUDED.last_rank > ns.last_rank
    RETURNING subscription_id, device_id, sensor, rule_id),
  tr AS (
    SELECT t.*,
           CASE WHEN t.local_min IS NULL THEN NULL
                WHEN (t.quiet_from < t.quiet_to AND t.local_min >= t.quiet_from AND t.local_min < t.quiet_to)
                  OR (t.quiet_from > t.quiet_to AND (t.local_min >= t.quiet_from OR t.local_min < t.quiet_to))
                THEN date_trunc('minute', now())
                     + ((t.quiet_to - t.local_min + 1440) % 1440) * interval '1 minute'
                END AS held_until
      FROM t
     WHERE t.change NOT IN ('raised', 'escalated') OR ${w} = 0
        OR EXISTS (SELECT 1 FROM rl WHERE rl.subscription_id = t.sub_id
                      AND rl.device_id = t.device_id AND rl.sensor = t.sensor
                      AND rl.rule_id = t.rule_id)),
  -- A notification due now is leased to this replica at once (status 'sending', attempt 1):
  -- it is sent without a claim round trip, and no other replica takes it unless the lease
  -- expires. Held ones (quiet hours) wait as 'pending' for whichever replica claims them.
  dl AS (
    INSERT INTO webhook_deliveries
      (subscription_id, alarm_id, history_id, change, body, status, attempts, next_attempt_at,
       locked_until, event_ts)
    SELECT sub_id, id, history_id, change,
           json_build_object('type', 'alarm.change', 'subscriptionId', sub_id::text,
                             'correlationId', correlation_id, 'event', event)::text,
           CASE WHEN held_until IS NULL THEN 'sending' ELSE 'pending' END,
           CASE WHEN held_until IS NULL THEN 1 ELSE 0 END,
           coalesce(held_until, now()),
           CASE WHEN held_until IS NULL THEN now() + ${DELIVERY_LEASE_MS} * interval '1 millisecond' END,
           coalesce(event_ts, now())
      FROM tr
    ON CONFLICT DO NOTHING
    RETURNING id, subscription_id, body, status, attempts, event_ts, created_at),
  outbox AS (
    SELECT (SELECT count(*)::int FROM dl) AS deliveries,
         (SELECT coalesce(json_agg(json_build_object('id', dl.id::text, 'body', dl.body,
                  'attempts', dl.attempts, 'eventTs', (extract(epoch FROM dl.event_ts) * 1000)::int8,
                  'createdAt', (extract(epoch FROM dl.created_at) * 1000)::int8,
                  'url', s.url, 'secret', s.secret)), '[]'::json)
            FROM dl JOIN webhook_subscriptions s ON s.id = dl.subscription_id
           WHERE dl.status = 'sending') AS sends)`;
}
