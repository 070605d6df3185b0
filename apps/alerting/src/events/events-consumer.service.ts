/** Consumes constraint transitions from the edges and stores each one. */
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { decodeEvent, parseTopic, topicFilters, type ConstraintEvent } from '@iotmon/domain';
import { consumerFilter, MQTT_CLIENT, MQTT_SETTINGS, type MqttSettings } from '@iotmon/messaging';
import { ConstraintEventEntity } from '@iotmon/persistence';
import type { MqttClient } from 'mqtt';
import type { DataSource } from 'typeorm';

@Injectable()
export class EventsConsumerService implements OnApplicationBootstrap {
  private readonly log = new Logger(EventsConsumerService.name);

  constructor(
    @Inject(MQTT_CLIENT) private readonly client: MqttClient,
    @Inject(MQTT_SETTINGS) private readonly settings: MqttSettings,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    const filter = consumerFilter(this.settings, topicFilters.allEvents);
    this.client.on('message', (topic, payload) => void this.handle(topic, payload));
    const subscribe = () =>
      this.client.subscribe(filter, { qos: 1 }, (err) => {
        if (err) this.log.error(`subscribe ${filter} failed: ${err.message}`);
        else this.log.log(`consuming ${filter}`);
      });
    this.client.on('connect', subscribe);
    if (this.client.connected) subscribe();
  }

  private async handle(topic: string, payload: Buffer): Promise<void> {
    const parsed = parseTopic(topic);
    if (parsed?.kind !== 'event') return;
    const decoded = decodeEvent(payload, { deviceId: parsed.deviceId, sensor: parsed.sensor });
    if ('error' in decoded) {
      this.log.warn(`rejected event on ${topic}: ${decoded.error.field} ${decoded.error.reason}`);
      return;
    }
    try {
      await this.store(decoded.event);
    } catch (e) {
      this.log.error(`could not store event from ${topic}: ${(e as Error).message}`);
    }
  }

  private async store(e: ConstraintEvent): Promise<void> {
    await this.db.getRepository(ConstraintEventEntity).insert({
      deviceId: e.deviceId,
      sensor: e.sensor,
      ruleId: e.ruleId,
      state: e.state,
      severity: e.severity,
      value: e.value,
      ts: new Date(e.ts),
      message: e.message,
      late: e.late === true,
    });
  }
}
