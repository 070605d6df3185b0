import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { MqttClient } from 'mqtt';
import { MQTT_CLIENT } from './mqtt.module';

/** Readiness of the broker connection for @nestjs/terminus. */
@Injectable()
export class MqttHealthIndicator {
  constructor(
    @Inject(MQTT_CLIENT) private readonly client: MqttClient,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key = 'mqtt') {
    const indicator = this.health.check(key);
    return this.client.connected
      ? indicator.up()
      : indicator.down({ message: 'not connected to the broker' });
  }
}
