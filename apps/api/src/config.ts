/** The api's typed configuration, validated at start-up. */
import { EnvReader } from '@iotmon/config';
import { mqttSettingsFromEnv, type MqttSettings } from '@iotmon/messaging';
import { databaseUrlFromEnv } from '@iotmon/persistence';

export interface ApiConfig {
  port: number;
  host: string;
  databaseUrl: string;
  dbPoolSize: number;
  mqtt: MqttSettings;
  /** Whether the api consumes raw readings from MQTT (off for a REST-only replica). */
  ingestMqtt: boolean;
}

export const API_CONFIG = Symbol('API_CONFIG');

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const read = new EnvReader(env);
  return {
    port: read.int('PORT', 3000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    databaseUrl: databaseUrlFromEnv(env),
    dbPoolSize: read.int('DB_POOL_SIZE', 10, 1, 200),
    mqtt: mqttSettingsFromEnv(env),
    ingestMqtt: read.bool('INGEST_MQTT', true),
  };
}
