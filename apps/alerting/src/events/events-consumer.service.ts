/** Consumes constraint transitions from the edges (env/+/event/+) and hands them to alarms. */
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { decodeEvent, decodePresence, parseTopic, topicFilters } from '@iotmon/domain';
import { consumerFilter, MQTT_CLIENT, MQTT_SETTINGS, type MqttSettings } from '@iotmon/messaging';
import { correlationIdOfMessage, MqttConsumerMetrics } from '@iotmon/server-kit';
import type { IPublishPacket, MqttClient } from 'mqtt';
import { stageTrace, traceKey } from '../common/stage-trace';
import { AlertingMetrics } from '../metrics/alerting-metrics';
import { EdgeVerdicts } from './edge-verdicts';
import { TransitionSink } from './transition-sink.service';

@Injectable()
export class EventsConsumerService implements OnApplicationBootstrap {
  private readonly log = new Logger(EventsConsumerService.name);
  private markSubscribed!: () => void;
  /** Resolves once the broker acknowledged the subscription (tests wait for it). */
  readonly subscribed = new Promise<void>((resolve) => (this.markSubscribed = resolve));

  constructor(
    @Inject(MQTT_CLIENT) private readonly client: MqttClient,
    @Inject(MQTT_SETTINGS) private readonly settings: MqttSettings,
    private readonly sink: TransitionSink,
    private readonly verdicts: EdgeVerdicts,
    private readonly metrics: AlertingMetrics,
    private readonly consumer: MqttConsumerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const filter = consumerFilter(this.settings, topicFilters.allEvents);
    this.consumer.backlogFrom(() => this.sink.backlog());
    this.client.on('message', (topic, payload, packet: IPublishPacket) => {
      this.consumer.received(packet);
      this.handle(topic, payload, packet);
    });
    // Presence marks an edge node, which decides for itself (retained: all arrive at once).
    const subscribe = () =>
      this.client.subscribe(
        { [filter]: { qos: 1 }, [topicFilters.allStatus]: { qos: 1 } },
        (err) => {
          if (err) this.log.error(`subscribe ${filter} failed: ${err.message}`);
          else {
            this.log.log(`consuming ${filter}`);
            this.markSubscribed();
          }
        },
      );
    this.client.on('connect', subscribe);
    if (this.client.connected) subscribe();
  }

  private handle(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const parsed = parseTopic(topic);
    if (parsed?.kind === 'status') {
      if (decodePresence(payload)?.status === 'online') this.verdicts.seen(parsed.deviceId);
      return;
    }
    if (parsed?.kind !== 'event') return;
    const decoded = decodeEvent(payload, { deviceId: parsed.deviceId, sensor: parsed.sensor });
    if ('error' in decoded) {
      this.metrics.events.inc({ outcome: 'rejected' });
      this.log.warn(`rejected event on ${topic}: ${decoded.error.field} ${decoded.error.reason}`);
      return;
    }
    this.verdicts.seen(parsed.deviceId);
    if (stageTrace.enabled) {
      const e = decoded.event;
      stageTrace.mark('recv', traceKey(e.deviceId, e.ts, e.state));
    }
    void this.sink.submit(decoded.event, 'edge', correlationIdOfMessage(packet));
  }
}
