/**
 * The one way transitions enter alarms, from edge events or the server's own evaluation:
 * ordered per alarm key, applied in a transaction, then counted, and the dispatcher kicked.
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ConstraintEvent } from '@iotmon/domain';
import { AlarmEngine } from '../alarms/alarm-engine.service';
import { AlertingMetrics } from '../metrics/alerting-metrics';
import { WebhookDispatcher } from '../notifications/webhook-dispatcher.service';
import { KeyedQueue } from './keyed-queue';

@Injectable()
export class TransitionSink implements OnApplicationShutdown {
  private readonly log = new Logger(TransitionSink.name);
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly engine: AlarmEngine,
    private readonly dispatcher: WebhookDispatcher,
    private readonly metrics: AlertingMetrics,
  ) {}

  submit(e: ConstraintEvent, source: 'edge' | 'server'): Promise<void> {
    return this.queue.run(`${e.deviceId}\u0000${e.sensor}\u0000${e.ruleId}`, () =>
      this.apply(e, source),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.idle();
  }

  private async apply(e: ConstraintEvent, source: 'edge' | 'server'): Promise<void> {
    try {
      const r = await this.engine.apply(e, source);
      this.metrics.events.inc({ outcome: r.outcome });
      const c = r.change;
      if (!c) return;
      if (c.event.change === 'raised')
        this.metrics.raised.inc({ severity: c.event.alarm.severity });
      if (c.event.change === 'cleared')
        this.metrics.cleared.inc({ severity: c.event.alarm.severity });
      if (c.deliveries > 0) this.dispatcher.kick();
    } catch (err) {
      this.metrics.events.inc({ outcome: 'failed' });
      this.log.error(
        `could not apply ${e.state} ${e.deviceId}/${e.sensor}/${e.ruleId}: ${(err as Error).message}`,
      );
    }
  }
}
