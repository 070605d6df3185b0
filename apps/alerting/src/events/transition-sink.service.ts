/**
 * The one way transitions enter alarms, from edge events or the server's own evaluation:
 * batched per key order (TransitionBatcher), applied in one statement per batch, counted,
 * and the outbox rows handed to AlarmOutbox once committed. `submit` resolves once its
 * transition is committed, so the MQTT consumer acknowledges only then. A batch that fails
 * because PostgreSQL is away is retried with capped backoff, in place (its keys stay busy, so
 * later transitions of those keys keep their order); one PostgreSQL refuses for its data is
 * applied transition by transition, and a transition refused alone is counted and logged.
 */
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ConstraintEvent } from '@iotmon/domain';
import { CommitAckPublisher } from '@iotmon/messaging';
import { isRefusedForData, retryDelayMs } from '@iotmon/persistence';
import { AlarmEngine, type BatchResult } from '../alarms/alarm-engine.service';
import { AlarmOutbox } from '../alarms/alarm-outbox';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { AlertingMetrics } from '../metrics/alerting-metrics';
import { TransitionBatcher } from './transition-batcher';

type Source = 'edge' | 'server';

interface Item {
  key: string;
  group: Source;
  event: ConstraintEvent;
  /** Of the message (or request) the transition came from: logged, and sent with the webhook. */
  correlationId?: string;
  /** performance.now() when submitted: its wait for a batch is the `queue` stage. */
  at: number;
  /** Settles `submit`'s promise. */
  applied: () => void;
}

@Injectable()
export class TransitionSink implements OnApplicationShutdown {
  private readonly log = new Logger(TransitionSink.name);
  private readonly batcher: TransitionBatcher<Item>;
  private closing = false;

  constructor(
    private readonly engine: AlarmEngine,
    private readonly outbox: AlarmOutbox,
    private readonly metrics: AlertingMetrics,
    private readonly acks: CommitAckPublisher,
    @Inject(ALERTING_CONFIG) config: AlertingConfig,
  ) {
    this.batcher = new TransitionBatcher<Item>(
      (batch) => this.apply(batch),
      config.batchConcurrency,
      config.batchMax,
    );
  }

  private readonly committedListeners: ((payloads: string[]) => void)[] = [];

  /**
   * `fn` gets the live payloads of every batch this replica committed, right after the commit
   * returned (LiveHub pushes them without waiting for its NOTIFY to come back).
   */
  onCommitted(fn: (payloads: string[]) => void): void {
    this.committedListeners.push(fn);
  }

  /** Resolves once the transition is committed (or refused for its data); never at shutdown with PostgreSQL away. */
  submit(event: ConstraintEvent, source: Source, correlationId?: string): Promise<void> {
    const key = `${event.deviceId}\u0000${event.sensor}\u0000${event.ruleId}`;
    return new Promise((applied) =>
      this.batcher.push({
        key,
        group: source,
        event,
        correlationId,
        at: performance.now(),
        applied,
      }),
    );
  }

  /** Transitions submitted and not yet applied (the MQTT consumers' backlog). */
  backlog(): number {
    return this.batcher.backlog;
  }

  /** Resolves when everything submitted so far has been applied (or failed). */
  drained(): Promise<void> {
    return this.batcher.idle();
  }

  async onApplicationShutdown(): Promise<void> {
    // PostgreSQL away at shutdown: stop retrying after 10 s (unacknowledged, so sent again).
    const giveUp = setTimeout(() => (this.closing = true), 10_000);
    await this.batcher.idle();
    clearTimeout(giveUp);
    this.acks.flush();
  }

  private async apply(batch: Item[], attempt = 0): Promise<void> {
    const source = batch[0].group;
    try {
      const start = performance.now();
      const queue = this.metrics.stage.labels('queue');
      for (const item of batch) queue.observe((start - item.at) / 1000);
      const result = await this.engine.applyBatch(
        batch.map((i) => i.event),
        source,
        batch.map((i) => i.correlationId),
      );
      this.metrics.stage.observe({ stage: 'commit' }, (performance.now() - start) / 1000);
      this.metrics.batchSize.observe(batch.length);
      this.account(batch.length, result);
      const committedAt = Date.now();
      for (const { event: e } of batch)
        if (!e.late) this.metrics.edgeToAlarm.observe(Math.max(0, committedAt - e.ts) / 1000);
      // Committed (or already stored): the edges may drop them from their outboxes.
      if (source === 'edge') this.acks.events(batch.map((i) => i.event));
      for (const i of batch) i.applied();
    } catch (err) {
      if (!isRefusedForData(err)) {
        if (this.closing) throw err; // not applied, not acknowledged: the broker sends it again
        const delay = retryDelayMs(attempt + 1);
        this.log.warn(
          `could not apply ${batch.length} transition(s) (${(err as Error).message}); retrying in ${delay} ms`,
        );
        await new Promise((r) => setTimeout(r, delay));
        return this.apply(batch, attempt + 1);
      }
      if (batch.length === 1) {
        const e = batch[0].event;
        this.metrics.events.inc({ outcome: 'failed' });
        this.log.error(
          `could not apply ${e.state} ${e.deviceId}/${e.sensor}/${e.ruleId}: ${(err as Error).message}`,
        );
        // Sending it again would not make it valid: acknowledged as processed.
        batch[0].applied();
        return;
      }
      // One bad transition must not sink the others: apply them one by one.
      for (const item of batch) await this.apply([item]);
    }
  }

  private account(n: number, r: BatchResult): void {
    this.metrics.events.inc({ outcome: 'duplicate' }, n - r.stored);
    this.metrics.events.inc({ outcome: 'stored' }, r.stored);
    for (const c of r.changes) {
      if (c.change === 'raised') this.metrics.raised.inc({ severity: c.severity });
      if (c.change === 'cleared') this.metrics.cleared.inc({ severity: c.severity });
      if (c.change === 'repeated') continue;
      this.log.log({
        msg: `alarm ${c.change}`,
        alarmId: c.alarmId,
        deviceId: c.deviceId,
        sensor: c.sensor,
        ruleId: c.ruleId,
        severity: c.severity,
        correlationId: c.correlationId ?? undefined,
      });
    }
    this.outbox.send(r.sends);
    if (r.deliveries > r.sends.length) this.outbox.wake();
    if (this.committedListeners.length > 0 && r.changes.length > 0) {
      const payloads: string[] = [];
      for (const c of r.changes) if (c.payload) payloads.push(c.payload);
      for (const fn of this.committedListeners) fn(payloads);
    }
  }
}
