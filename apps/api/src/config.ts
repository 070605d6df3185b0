/** The api's typed configuration, validated at start-up. */
import { ConfigError, EnvReader } from '@iotmon/config';
import { mqttSettingsFromEnv, type MqttSettings } from '@iotmon/messaging';
import { databaseUrlFromEnv } from '@iotmon/persistence';
import { loadAuthConfig, type AuthConfig } from '@iotmon/server-kit';
import { GIN_LIST_PATHS, type GinListPath } from './gin/gin-router';

export interface ApiConfig {
  port: number;
  host: string;
  databaseUrl: string;
  dbPoolSize: number;
  mqtt: MqttSettings;
  /** How device accounts reach the broker: `none` (embedded: keys read from PostgreSQL) or `dynsec` (Mosquitto). */
  mqttProvisioning: 'none' | 'dynsec';
  /** Whether the api consumes raw readings and presence from MQTT (off for a REST-only replica). */
  ingestMqtt: boolean;
  /** Identities, tokens, open route groups, rate limits (shared with alerting). */
  auth: AuthConfig;
  /** Reported by the Gin-compatible routes (X-Pod-Name / X-Node-Name), as on Kubernetes. */
  podName: string;
  nodeName: string;
  /** A device that said online but was not heard from for this long is `stale`. */
  presenceStaleSeconds: number;
  /** Daily reading partitions created ahead of today. */
  partitionDaysAhead: number;
  /** Reading partitions older than this many days are dropped; 0 keeps everything. */
  retentionDays: number;
  /** Concurrent COPY statements of the readings writer. */
  writerConcurrency: number;
  /** Responses larger than this are compressed when the client accepts it. */
  compressMinBytes: number;
  /** Where the Gin-compatible list lives: `/iot` or `/iot/` (the other spelling redirects). */
  ginListPath: GinListPath;
}

export const API_CONFIG = Symbol('API_CONFIG');

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const read = new EnvReader(env);
  return {
    port: read.int('PORT', 3000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    databaseUrl: databaseUrlFromEnv(env),
    dbPoolSize: read.int('DB_POOL_SIZE', 10, 2, 200),
    mqtt: mqttSettingsFromEnv(env),
    mqttProvisioning: read.oneOf('MQTT_PROVISIONING', ['none', 'dynsec'] as const, 'none'),
    ingestMqtt: read.bool('INGEST_MQTT', true),
    auth: loadAuthConfig('api', env),
    podName: read.string('POD_NAME', 'local'),
    nodeName: read.string('NODE_NAME', 'local'),
    presenceStaleSeconds: read.int('PRESENCE_STALE_SECONDS', 120, 1, 86_400),
    partitionDaysAhead: read.int('PARTITION_DAYS_AHEAD', 7, 1, 365),
    retentionDays: read.int('RETENTION_DAYS', 0, 0, 36_500),
    writerConcurrency: read.int('WRITER_CONCURRENCY', 2, 1, 32),
    compressMinBytes: read.int('COMPRESS_MIN_BYTES', 16_384, 0, 1 << 30),
    ginListPath: ginListPath(read.string('GIN_LIST_PATH', '/iot')),
  };
}

function ginListPath(value: string): GinListPath {
  const found = GIN_LIST_PATHS.find((p) => p === value);
  if (!found) throw new ConfigError('GIN_LIST_PATH', `must be one of ${GIN_LIST_PATHS.join(', ')}`);
  return found;
}
