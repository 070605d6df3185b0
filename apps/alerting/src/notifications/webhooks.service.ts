/** Webhook subscriptions and their delivery log. */
import { PgConnections } from '@iotmon/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppError } from '@iotmon/server-kit';
import type { CreateWebhookDto } from './dto/webhook-subscription.dto';
import { formatClock, parseClock } from './quiet-hours';
import { WebhookTargetPolicy, WebhookTargetRefused } from './webhook-target-policy';

export interface WebhookView {
  id: string;
  url: string;
  severities: string[] | null;
  deviceIds: string[] | null;
  ruleIds: string[] | null;
  changes: string[] | null;
  quietHours: { from: string; to: string; tz: string } | null;
  enabled: boolean;
  createdAt: string;
  /** Only in the response that creates the subscription. */
  secret?: string;
}

export interface DeliveryView {
  id: string;
  alarmId: string;
  eventId: string;
  change: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: {
    attempt: number;
    at: string;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
  }[];
}

interface SubscriptionRow {
  id: string;
  url: string;
  severities: string[] | null;
  device_ids: string[] | null;
  rule_ids: string[] | null;
  changes: string[] | null;
  quiet_from: number | null;
  quiet_to: number | null;
  quiet_tz: string;
  enabled: boolean;
  created_at: Date;
}

const COLUMNS = `id::text, url, severities, device_ids, rule_ids, changes, quiet_from, quiet_to,
  quiet_tz, enabled, created_at`;

function toView(r: SubscriptionRow): WebhookView {
  return {
    id: r.id,
    url: r.url,
    severities: r.severities,
    deviceIds: r.device_ids,
    ruleIds: r.rule_ids,
    changes: r.changes,
    quietHours:
      r.quiet_from === null || r.quiet_to === null
        ? null
        : { from: formatClock(r.quiet_from), to: formatClock(r.quiet_to), tz: r.quiet_tz },
    enabled: r.enabled,
    createdAt: r.created_at.toISOString(),
  };
}

@Injectable()
export class WebhooksService {
  constructor(
    @Inject(PgConnections) private readonly pg: PgConnections,
    private readonly targets: WebhookTargetPolicy,
  ) {}

  async create(dto: CreateWebhookDto): Promise<WebhookView> {
    try {
      await this.targets.check(dto.url);
    } catch (e) {
      if (e instanceof WebhookTargetRefused) throw AppError.invalid('url', e.message);
      throw e;
    }
    const tz = dto.quietHours?.tz ?? 'UTC';
    // The outbox statement converts time zones in PostgreSQL, so PostgreSQL must know it.
    const known = await this.pg.rows('SELECT 1 FROM pg_timezone_names WHERE name = $1', [tz]);
    if (known.length === 0) {
      throw AppError.invalid('quietHours.tz', 'is not a known IANA time zone');
    }
    const secret = dto.secret ?? randomBytes(24).toString('base64url');
    const [row] = await this.pg.rows<SubscriptionRow>(
      `INSERT INTO webhook_subscriptions
         (url, secret, severities, device_ids, rule_ids, changes, quiet_from, quiet_to, quiet_tz, enabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [
        dto.url,
        secret,
        dto.severities ?? null,
        dto.deviceIds ?? null,
        dto.ruleIds ?? null,
        dto.changes ?? null,
        dto.quietHours ? parseClock(dto.quietHours.from) : null,
        dto.quietHours ? parseClock(dto.quietHours.to) : null,
        tz,
        dto.enabled ?? true,
      ],
    );
    return { ...toView(row), secret };
  }

  async list(): Promise<WebhookView[]> {
    const rows = await this.pg.rows<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM webhook_subscriptions ORDER BY webhook_subscriptions.id`,
    );
    return rows.map(toView);
  }

  async get(id: string): Promise<WebhookView> {
    const [row] = await this.pg.rows<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM webhook_subscriptions WHERE id = $1`,
      [id],
    );
    if (!row) throw AppError.notFound(`webhook ${id}`);
    return toView(row);
  }

  async remove(id: string): Promise<void> {
    const rows = await this.pg.rows(`DELETE FROM webhook_subscriptions WHERE id = $1 RETURNING 1`, [
      id,
    ]);
    if (rows.length === 0) throw AppError.notFound(`webhook ${id}`);
  }

  /** The delivery log of one subscription, newest first (last 200). */
  async deliveries(id: string, status?: string): Promise<DeliveryView[]> {
    await this.get(id);
    const rows: {
      id: string;
      alarm_id: string;
      history_id: string;
      change: string;
      status: string;
      attempts: number;
      next_attempt_at: Date;
      last_error: string | null;
      created_at: Date;
      delivered_at: Date | null;
      log: {
        attempt: number;
        at: string;
        statusCode: number | null;
        error: string | null;
        durationMs: number;
      }[];
    }[] = await this.pg.rows(
      `SELECT d.id::text, d.alarm_id::text, d.history_id::text, d.change, d.status, d.attempts,
              d.next_attempt_at, d.last_error, d.created_at, d.delivered_at,
              coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at,
                          'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms)
                          ORDER BY a.id)
                         FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS log
         FROM webhook_deliveries d
        WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2)
        ORDER BY d.id DESC LIMIT 200`,
      [id, status ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      alarmId: r.alarm_id,
      eventId: r.history_id,
      change: r.change,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at.toISOString(),
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      deliveredAt: r.delivered_at ? r.delivered_at.toISOString() : null,
      log: r.log,
    }));
  }
}
