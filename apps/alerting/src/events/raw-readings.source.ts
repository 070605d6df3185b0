/**
 * Readings from the broker, decoded once for everyone who needs them (the live push and the
 * server-side evaluator): raw ones from the edges (env/+/+/raw) and those the api stored from
 * REST (one batch per request on server/readings/stored). Each replica subscribes without a shared group,
 * because each one's live clients want every reading.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { decodeReadings, parseTopic, topicFilters, type Reading } from '@iotmon/domain';
import { MQTT_CLIENT } from '@iotmon/messaging';
import { correlationIdOfMessage } from '@iotmon/server-kit';
import type { IPublishPacket, MqttClient } from 'mqtt';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';

/** `correlationId`: the message's (MQTT v5 user property) or a new one per message. */
export type ReadingsListener = (readings: Reading[], correlationId: string) => void;

@Injectable()
export class RawReadingsSource implements OnApplicationBootstrap {
  private readonly log = new Logger(RawReadingsSource.name);
  private markSubscribed!: () => void;
  /** Resolves once the broker acknowledged the subscription (tests wait for it). */
  readonly subscribed = new Promise<void>((resolve) => (this.markSubscribed = resolve));
  private readonly listeners: ReadingsListener[] = [];

  constructor(
    @Inject(MQTT_CLIENT) private readonly client: MqttClient,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
  ) {}

  listen(fn: ReadingsListener): void {
    this.listeners.push(fn);
  }

  onApplicationBootstrap(): void {
    if (!this.config.liveReadings && !this.config.serverEvaluation) {
      this.markSubscribed();
      return;
    }
    const filters = [topicFilters.allRaw, topicFilters.stored];
    this.client.on('message', (topic, payload, packet: IPublishPacket) => {
      const parsed = parseTopic(topic);
      if (parsed?.kind !== 'raw' && parsed?.kind !== 'stored') return;
      // A raw message's device and sensor are in its topic; a stored batch names them per item.
      const ctx = parsed.kind === 'raw' ? { deviceId: parsed.deviceId, sensor: parsed.sensor } : {};
      const { readings } = decodeReadings(payload, ctx);
      if (readings.length === 0) return;
      const correlationId = correlationIdOfMessage(packet);
      for (const fn of this.listeners) fn(readings, correlationId);
    });
    const subscribe = () =>
      this.client.subscribe(filters, { qos: 0 }, (err) => {
        if (err) this.log.error(`subscribe ${filters.join(', ')} failed: ${err.message}`);
        else this.markSubscribed();
      });
    this.client.on('connect', subscribe);
    if (this.client.connected) subscribe();
  }
}
