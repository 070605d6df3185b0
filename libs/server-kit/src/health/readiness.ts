/** The dependencies readiness can check, resolved from the app's own providers. */
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { MqttHealthIndicator } from '@iotmon/messaging';

export type ReadinessCheck = 'database' | 'mqtt';

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Injectable()
export class Readiness {
  constructor(private readonly refs: ModuleRef) {}

  functions(checks: readonly ReadinessCheck[]): HealthIndicatorFunction[] {
    return checks.map((check) => {
      if (check === 'database') {
        const db = this.refs.get(TypeOrmHealthIndicator, { strict: false });
        return () => db.pingCheck('database', { timeout: 1_500 });
      }
      const mqtt = this.refs.get(MqttHealthIndicator, { strict: false });
      return () => mqtt.check();
    });
  }
}
