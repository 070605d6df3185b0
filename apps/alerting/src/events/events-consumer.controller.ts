/**
 * Consumes constraint transitions from the edges (env/+/event/+) and hands them to alarms;
 * an event's handler resolves once its transition is committed, and only then does the
 * transport acknowledge it (ackAfterHandler, app.factory.ts).
 */
import { Controller, Logger } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { decodeEvent, decodePresence, topicFilters } from '@iotmon/domain';
import { correlationIdOfMessage, MqttConsumerMetrics, type MqttMessage } from '@iotmon/server-kit';
import { LiveSensorCatalogue } from '@iotmon/persistence';
import { AlertingMetrics } from '../metrics/alerting-metrics';
import { EdgeVerdicts } from './edge-verdicts';
import { TransitionSink } from './transition-sink.service';

/** @EventPattern handlers on the server-kit MqttTransport (started in app.factory.ts). */
@Controller()
export class EventsConsumer {
  private readonly log = new Logger(EventsConsumer.name);

  constructor(
    private readonly sink: TransitionSink,
    private readonly verdicts: EdgeVerdicts,
    private readonly metrics: AlertingMetrics,
    private readonly consumer: MqttConsumerMetrics,
    private readonly kinds: LiveSensorCatalogue,
  ) {
    this.consumer.backlogFrom(() => this.sink.backlog());
  }

  /** Presence marks an edge node, which decides for itself (retained: all arrive at once). */
  @EventPattern(topicFilters.allStatus, { qos: 1 })
  status(m: MqttMessage): void {
    this.consumer.received(m);
    if (m.route?.kind !== 'status') return;
    if (decodePresence(m.payload)?.status === 'online') this.verdicts.seen(m.route.deviceId);
  }

  @EventPattern(topicFilters.allEvents, { qos: 1, shared: true })
  event(m: MqttMessage): Promise<void> | undefined {
    this.consumer.received(m);
    return this.accept(m, false);
  }

  private accept(m: MqttMessage, reloaded: boolean): Promise<void> | undefined {
    const { topic, route: parsed, payload } = m;
    if (parsed?.kind !== 'event') return undefined;
    const ctx = { deviceId: parsed.deviceId, sensor: parsed.sensor };
    const decoded = decodeEvent(payload, this.kinds.current, ctx);
    if ('error' in decoded && decoded.error.field === 'sensor' && !reloaded) {
      // A kind this replica has not reloaded yet (its NOTIFY is on the way): once more after.
      return this.kinds
        .reload()
        .catch(() => undefined)
        .then(() => this.accept(m, true));
    }
    if ('error' in decoded) {
      this.metrics.events.inc({ outcome: 'rejected' });
      this.log.warn(`rejected event on ${topic}: ${decoded.error.field} ${decoded.error.reason}`);
      return undefined;
    }
    this.verdicts.seen(parsed.deviceId);
    return this.sink.submit(decoded.event, 'edge', correlationIdOfMessage(m));
  }
}
