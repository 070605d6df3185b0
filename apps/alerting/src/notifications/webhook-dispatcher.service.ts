/**
 * Sends webhook deliveries from the outbox. Rows are claimed with FOR UPDATE SKIP LOCKED and
 * leased ('sending' until `locked_until`), so with several replicas each delivery is sent by
 * one of them; a lease left by a crashed replica expires and the row is retried. Outcomes
 * are written back in batches (one statement for all results that finished meanwhile).
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CORRELATION_HEADER } from '@iotmon/server-kit';
import { Agent, request } from 'undici';
import { DELIVERY_LEASE_MS, type LeasedDelivery } from './outbox-sql';
import { PgConnections, retryDelayMs } from '@iotmon/persistence';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { AlertingMetrics } from '../metrics/alerting-metrics';
import { nextRetryDelay } from './retry-policy';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signBody } from './webhook-signing';
import { WebhookTargetPolicy } from './webhook-target-policy';

interface Outcome {
  id: string;
  attempts: number;
  status: 'delivered' | 'pending' | 'dead';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  delayMs: number;
}

const CLAIM_SQL = `
  UPDATE webhook_deliveries d
     SET status = 'sending', attempts = d.attempts + 1,
         locked_until = now() + ${DELIVERY_LEASE_MS} * interval '1 millisecond'
    FROM webhook_subscriptions s
   WHERE s.id = d.subscription_id
     AND d.id IN (SELECT id FROM webhook_deliveries
                   WHERE (status = 'pending' AND next_attempt_at <= now())
                      OR (status = 'sending' AND locked_until < now())
                   ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
  RETURNING d.id::text AS id, d.body, d.attempts,
            (extract(epoch FROM d.event_ts) * 1000)::float8 AS "eventTs",
            (extract(epoch FROM d.created_at) * 1000)::float8 AS "createdAt", s.url, s.secret`;

/** The correlation id the delivery body carries (written with its alarm change), if any. */
function correlationOf(body: string): string | undefined {
  return /"correlationId"\s*:\s*"([^"]+)"/.exec(body)?.[1];
}

/** Ends the leases (only if still ours: same attempt) and logs every attempt. */
const FINISH_SQL = `
  WITH r AS (
    SELECT * FROM unnest($1::int8[], $2::int[], $3::text[], $4::int[], $5::text[],
                         $6::float8[], $7::float8[])
      AS r(id, attempts, status, status_code, error, duration_ms, delay_ms)),
  u AS (
    UPDATE webhook_deliveries d
       SET status = r.status, locked_until = NULL, last_error = r.error,
           delivered_at = CASE WHEN r.status = 'delivered' THEN now() END,
           next_attempt_at = CASE WHEN r.status = 'pending'
                                  THEN now() + r.delay_ms * interval '1 millisecond'
                                  ELSE d.next_attempt_at END
      FROM r WHERE d.id = r.id AND d.attempts = r.attempts
    RETURNING d.id)
  INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms)
  SELECT r.id, r.attempts, r.status_code, r.error, r.duration_ms FROM r JOIN u ON u.id = r.id`;

@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(WebhookDispatcher.name);
  /** Every socket resolves its target through the policy: connects only to a checked address. */
  private readonly agent: Agent;
  private timer?: NodeJS.Timeout;
  private claiming = false;
  private again = false;
  /** A claim stopped because this replica had no room left: claim again when some frees up. */
  private starved = false;
  private inFlight = 0;
  private stopped = false;
  private readonly sends = new Set<Promise<void>>();
  private outcomes: Outcome[] = [];
  private flushing?: Promise<void>;
  /** Failed outcome writes in a row (PostgreSQL away). */
  private flushFailures = 0;

  constructor(
    private readonly pg: PgConnections,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    private readonly metrics: AlertingMetrics,
    private readonly targets: WebhookTargetPolicy,
  ) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: 64,
      connect: { lookup: targets.lookup },
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.webhooks.pollMs);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.sends]);
    await this.flush();
    await this.agent.close();
  }

  /** Looks for due deliveries now (called after a commit that wrote some). */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = true;
    void this.drain().finally(() => {
      this.claiming = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const room = this.config.webhooks.concurrency - this.inFlight;
      if (this.stopped) return;
      if (room <= 0) {
        this.starved = true;
        return;
      }
      let batch: LeasedDelivery[];
      try {
        batch = await this.pg.rows<LeasedDelivery>(CLAIM_SQL, [room], 'alerting_claim_deliveries');
      } catch (e) {
        if (!this.stopped) this.log.error(`claiming deliveries failed: ${(e as Error).message}`);
        return;
      }
      this.send(batch);
      if (batch.length < room) return;
      this.starved = true; // a full claim: there may be more, look again when room frees up
    }
  }

  /** Sends deliveries leased to this replica (claimed, or written leased by a change). */
  send(deliveries: readonly LeasedDelivery[]): void {
    for (const d of deliveries) {
      this.inFlight++;
      const p = this.attempt(d)
        .then((o) => this.record(o))
        .catch((e: Error) => this.log.error(`delivery ${d.id}: ${e.message}`))
        .finally(() => {
          this.inFlight--;
          this.sends.delete(p);
        });
      this.sends.add(p);
    }
  }

  private async attempt(d: LeasedDelivery): Promise<Outcome> {
    const started = performance.now();
    const correlationId = correlationOf(d.body);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      // Scheme and IP literals (which never reach `lookup`) are checked per attempt too:
      // the configuration may have changed since the subscription was made.
      this.targets.checkUrl(d.url);
      const res = await request(d.url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'iotmon-alerting',
          [SIGNATURE_HEADER]: signBody(d.secret, d.body, Date.now()),
          [DELIVERY_HEADER]: d.id,
          ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}),
        },
        body: d.body,
        headersTimeout: this.config.webhooks.timeoutMs,
        bodyTimeout: this.config.webhooks.timeoutMs,
      });
      statusCode = res.statusCode;
      await res.body.dump();
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (e) {
      error = (e as Error).message;
    }
    const durationMs = performance.now() - started;
    const base = { id: d.id, attempts: d.attempts, statusCode, error, durationMs, delayMs: 0 };
    if (!error) {
      this.metrics.alarmToWebhook.observe(Math.max(0, Date.now() - Number(d.createdAt)) / 1000);
      this.metrics.delivered.inc();
      this.log.log({
        msg: 'webhook delivered',
        deliveryId: d.id,
        attempt: d.attempts,
        statusCode,
        correlationId,
      });
      return { ...base, status: 'delivered' };
    }
    this.metrics.failures.inc();
    const delay = nextRetryDelay(this.config.webhooks, d.attempts);
    if (delay === null) {
      this.metrics.deadLetters.inc();
      this.log.warn({
        msg: `delivery ${d.id} dead-lettered after ${d.attempts} attempts: ${error}`,
        deliveryId: d.id,
        correlationId,
      });
      return { ...base, status: 'dead' };
    }
    return { ...base, status: 'pending', delayMs: delay };
  }

  /** Looks for due deliveries after `ms` (a retry falling due; the poll is the fallback). */
  private kickIn(ms: number): void {
    if (this.stopped) return;
    setTimeout(() => this.kick(), ms).unref();
  }

  private record(o: Outcome): Promise<void> {
    this.outcomes.push(o);
    if (!this.flushing) this.flushing = this.flush();
    return this.flushing;
  }

  /**
   * Writes every outcome gathered so far; outcomes arriving meanwhile go in the next round.
   * While PostgreSQL is away the outcomes are kept and written again with capped backoff:
   * dropping them would leave the deliveries 'sending' until their lease expires, and then
   * send them a second time.
   */
  private async flush(): Promise<void> {
    while (this.outcomes.length > 0) {
      const batch = this.outcomes;
      this.outcomes = [];
      try {
        await this.pg.rows(
          FINISH_SQL,
          [
            batch.map((o) => o.id),
            batch.map((o) => o.attempts),
            batch.map((o) => o.status),
            batch.map((o) => o.statusCode),
            batch.map((o) => o.error),
            batch.map((o) => o.durationMs),
            batch.map((o) => o.delayMs),
          ],
          'alerting_finish_deliveries',
        );
      } catch (e) {
        this.outcomes = [...batch, ...this.outcomes];
        const delay = retryDelayMs(++this.flushFailures);
        // At shutdown a few tries only: what stays unrecorded is sent again after its lease.
        if (this.stopped && this.flushFailures > 5) break;
        this.log.warn(
          `recording ${batch.length} delivery outcomes failed (${(e as Error).message}); again in ${delay} ms`,
        );
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      this.flushFailures = 0;
      // Claim again only when a claim was cut short for lack of room (capacity freed up)
      // or when a retry falls due; not after every outcome, which would put a claim
      // statement next to every finish statement while nothing is waiting.
      if (this.starved) {
        this.starved = false;
        this.kick();
      }
      for (const o of batch) if (o.status === 'pending') this.kickIn(o.delayMs);
    }
    this.flushing = undefined;
  }
}
