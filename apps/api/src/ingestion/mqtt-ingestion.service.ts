/**
 * Consumes raw readings from the broker (a shared subscription when a group is configured)
 * and writes them through the same batched writer as REST, and the retained presence topic
 * (a plain subscription: brokers do not deliver retained messages to shared ones).
 * After the commit the device gets its commit ack (env/{id}/ack) for those sequence numbers;
 * until then the edge keeps them and sends them again, so a crash between receipt and commit
 * costs a re-send, not data (mqtt.js still PUBACKs on receipt).
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { decodePresence, decodeReadings, parseTopic, topicFilters } from '@iotmon/domain';
import {
  CommitAckPublisher,
  consumerFilter,
  MQTT_CLIENT,
  MQTT_SETTINGS,
  type MqttSettings,
} from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { DevicesService } from '../devices/devices.service';
import { ApiMetrics } from '../metrics/api-metrics';
import { ReadingsWriter } from '../readings/readings-writer';

@Injectable()
export class MqttIngestionService implements OnApplicationBootstrap {
  private readonly log = new Logger(MqttIngestionService.name);
  readonly counters = { messages: 0, readings: 0, rejected: 0 };

  constructor(
    @Inject(MQTT_CLIENT) private readonly client: MqttClient,
    @Inject(MQTT_SETTINGS) private readonly settings: MqttSettings,
    private readonly writer: ReadingsWriter,
    private readonly devices: DevicesService,
    private readonly metrics: ApiMetrics,
    private readonly acks: CommitAckPublisher,
  ) {}

  onApplicationBootstrap(): void {
    const filters = [consumerFilter(this.settings, topicFilters.allRaw), topicFilters.allStatus];
    this.client.on('message', (topic, payload) => void this.handle(topic, payload));
    // Subscribe on every (re)connect: a clean session forgets subscriptions.
    const subscribe = () =>
      this.client.subscribe(filters, { qos: 1 }, (err) => {
        if (err) this.log.error(`subscribe ${filters.join(', ')} failed: ${err.message}`);
        else this.log.log(`consuming ${filters.join(', ')}`);
      });
    this.client.on('connect', subscribe);
    if (this.client.connected) subscribe();
  }

  private async handle(topic: string, payload: Buffer): Promise<void> {
    const parsed = parseTopic(topic);
    if (parsed?.kind === 'status') return this.presence(parsed.deviceId, payload);
    if (parsed?.kind !== 'raw') return;
    this.counters.messages++;
    this.metrics.mqttConsumed.inc({ kind: 'raw' });
    const { readings, errors } = decodeReadings(payload, {
      deviceId: parsed.deviceId,
      sensor: parsed.sensor,
    });
    if (errors.length) {
      this.counters.rejected += errors.length;
      this.metrics.mqttRejected.inc(errors.length);
      const e = errors[0];
      this.log.warn(
        `rejected ${errors.length} item(s) on ${topic}: [${e.index}] ${e.field} ${e.reason}`,
      );
    }
    // Rejected items are acked as processed: sending them again would not make them valid.
    const rejected = errors
      .filter((e) => e.seq !== undefined)
      .map((e) => ({ deviceId: parsed.deviceId, sensor: parsed.sensor, seq: e.seq }));
    try {
      if (readings.length > 0) await this.writer.write(readings, 'mqtt');
      this.counters.readings += readings.length;
      this.acks.readings(readings);
      if (rejected.length) this.acks.readings(rejected);
    } catch (e) {
      this.log.error(
        `could not store ${readings.length} readings from ${topic}: ${(e as Error).message}`,
      );
    }
  }

  private async presence(deviceId: string, payload: Buffer): Promise<void> {
    this.metrics.mqttConsumed.inc({ kind: 'status' });
    const p = decodePresence(payload);
    if (!p) {
      this.log.warn(`ignored a malformed presence message of ${deviceId}`);
      return;
    }
    try {
      await this.devices.presence(deviceId, p.status, new Date(p.ts > 0 ? p.ts : Date.now()));
    } catch (e) {
      this.log.error(`could not record presence of ${deviceId}: ${(e as Error).message}`);
    }
  }
}
