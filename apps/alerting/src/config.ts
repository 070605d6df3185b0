/** The alerting service's typed configuration, validated at start-up. */
import { EnvReader } from '@iotmon/config';
import { mqttSettingsFromEnv, type MqttSettings } from '@iotmon/messaging';
import { databaseUrlFromEnv } from '@iotmon/persistence';

export interface AlertingConfig {
  port: number;
  host: string;
  databaseUrl: string;
  mqtt: MqttSettings;
}

export const ALERTING_CONFIG = Symbol('ALERTING_CONFIG');

export function loadAlertingConfig(env: NodeJS.ProcessEnv = process.env): AlertingConfig {
  const read = new EnvReader(env);
  return {
    port: read.int('PORT', 3001, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    databaseUrl: databaseUrlFromEnv(env),
    mqtt: mqttSettingsFromEnv(env),
  };
}
