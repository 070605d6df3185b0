/**
 * Sends webhook deliveries from the outbox. Rows are claimed with FOR UPDATE SKIP LOCKED and
 * leased ('sending' until `locked_until`), so with several replicas each delivery is sent by
 * one of them; a lease left by a crashed replica expires and the row is retried.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { AlertingMetrics } from '../metrics/alerting-metrics';
import { returningRows } from '../common/returning';
import { nextRetryDelay } from './retry-policy';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signBody } from './webhook-signing';

interface Claimed {
  id: string;
  body: string;
  attempts: number;
  event_ts: Date | null;
  url: string;
  secret: string;
}

const LEASE_MS = 60_000;

@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(WebhookDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private inFlight = 0;
  private stopped = false;
  private readonly sends = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    private readonly metrics: AlertingMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.webhooks.pollMs);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.sends]);
  }

  /** Looks for due deliveries now (called after a commit that wrote some). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const room = this.config.webhooks.concurrency - this.inFlight;
      if (room <= 0 || this.stopped) return;
      let batch: Claimed[];
      try {
        batch = await this.claim(room);
      } catch (e) {
        if (!this.stopped) this.log.error(`claiming deliveries failed: ${(e as Error).message}`);
        return;
      }
      for (const d of batch) {
        this.inFlight++;
        const p = this.send(d)
          .catch((e: Error) => this.log.error(`delivery ${d.id}: ${e.message}`))
          .finally(() => {
            this.inFlight--;
            this.sends.delete(p);
            this.kick();
          });
        this.sends.add(p);
      }
      if (batch.length < room) return;
    }
  }

  private async claim(limit: number): Promise<Claimed[]> {
    return returningRows<Claimed>(
      await this.db.query(
        `UPDATE webhook_deliveries d
          SET status = 'sending', attempts = d.attempts + 1,
              locked_until = now() + ${LEASE_MS} * interval '1 millisecond'
         FROM webhook_subscriptions s
        WHERE s.id = d.subscription_id
          AND d.id IN (SELECT id FROM webhook_deliveries
                        WHERE (status = 'pending' AND next_attempt_at <= now())
                           OR (status = 'sending' AND locked_until < now())
                        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING d.id::text, d.body, d.attempts, d.event_ts, s.url, s.secret`,
        [limit],
      ),
    );
  }

  private async send(d: Claimed): Promise<void> {
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'iotmon-alerting',
          [SIGNATURE_HEADER]: signBody(d.secret, d.body, Date.now()),
          [DELIVERY_HEADER]: d.id,
        },
        body: d.body,
        signal: AbortSignal.timeout(this.config.webhooks.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    const durationMs = performance.now() - started;
    if (!error) {
      if (d.event_ts) this.metrics.latency.observe((Date.now() - d.event_ts.getTime()) / 1000);
      this.metrics.delivered.inc();
      await this.finish(
        d,
        `status = 'delivered', delivered_at = now(), last_error = NULL`,
        [],
        status,
        null,
        durationMs,
      );
      return;
    }
    this.metrics.failures.inc();
    const delay = nextRetryDelay(this.config.webhooks, d.attempts);
    if (delay === null) {
      this.metrics.deadLetters.inc();
      this.log.warn(`delivery ${d.id} dead-lettered after ${d.attempts} attempts: ${error}`);
      await this.finish(d, `status = 'dead', last_error = $3`, [error], status, error, durationMs);
    } else {
      await this.finish(
        d,
        `status = 'pending', last_error = $3, next_attempt_at = now() + $4 * interval '1 millisecond'`,
        [error, delay],
        status,
        error,
        durationMs,
      );
    }
  }

  /** Ends the lease and logs the attempt, in one round trip. */
  private async finish(
    d: Claimed,
    set: string,
    params: unknown[],
    status: number | null,
    error: string | null,
    durationMs: number,
  ): Promise<void> {
    const n = params.length + 2;
    await this.db.query(
      `WITH u AS (UPDATE webhook_deliveries SET ${set}, locked_until = NULL
                   WHERE id = $1 AND attempts = $2 RETURNING id)
       INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms)
       SELECT id, $2, $${n + 1}, $${n + 2}, $${n + 3} FROM u`,
      [d.id, d.attempts, ...params, status, error, durationMs],
    );
  }
}
