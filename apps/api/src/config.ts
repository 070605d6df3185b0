/** The api's typed configuration, validated at start-up. */
import { ConfigError, EnvReader } from '@iotmon/config';
import {
  consumerSessionFromEnv,
  mqttSettingsFromEnv,
  type ConsumerSession,
  type MqttSettings,
} from '@iotmon/messaging';
import { databaseUrlFromEnv } from '@iotmon/persistence';
import { loadAuthConfig, type AuthConfig } from '@iotmon/server-kit';
import { GIN_LIST_PATHS, type GinListPath } from './gin/gin-router';

export interface ApiConfig {
  port: number;
  host: string;
  databaseUrl: string;
  dbPoolSize: number;
  mqtt: MqttSettings;
  /** The ingestion consumer's persistent MQTT session (stable client id per replica). */
  mqttSession: ConsumerSession;
  /** MQTT messages handled at once before the api stops reading from the broker. */
  ingestMaxInFlight: number;
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
  /**
   * The writer's queue limits (queued plus being written): beyond them REST gets 503 with
   * Retry-After and MQTT ingestion stops taking messages until there is room.
   */
  writerQueueMaxReadings: number;
  writerQueueMaxBytes: number;
  /** How long a REST write may wait for PostgreSQL (retrying) before it is answered 503. */
  writerRestWaitMs: number;
  /** Responses larger than this are compressed when the client accepts it. */
  compressMinBytes: number;
  /** Where the Gin-compatible list lives: `/iot` or `/iot/` (the other spelling redirects). */
  ginListPath: GinListPath;
}

export const API_CONFIG = Symbol('API_CONFIG');

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const read = new EnvReader(env);
  const port = read.int('PORT', 3000, 0, 65535);
  return {
    port,
    host: read.string('HOST', '0.0.0.0'),
    databaseUrl: databaseUrlFromEnv(env),
    dbPoolSize: read.int('DB_POOL_SIZE', 10, 2, 200),
    mqtt: mqttSettingsFromEnv(env),
    mqttSession: consumerSessionFromEnv('api', port, env),
    ingestMaxInFlight: read.int('INGEST_MAX_IN_FLIGHT', 256, 1, 65_535),
    mqttProvisioning: read.oneOf('MQTT_PROVISIONING', ['none', 'dynsec'] as const, 'none'),
    ingestMqtt: read.bool('INGEST_MQTT', true),
    auth: loadAuthConfig('api', env),
    podName: read.string('POD_NAME', 'local'),
    nodeName: read.string('NODE_NAME', 'local'),
    presenceStaleSeconds: read.int('PRESENCE_STALE_SECONDS', 120, 1, 86_400),
    partitionDaysAhead: read.int('PARTITION_DAYS_AHEAD', 7, 1, 365),
    retentionDays: read.int('RETENTION_DAYS', 0, 0, 36_500),
    writerConcurrency: read.int('WRITER_CONCURRENCY', 2, 1, 32),
    writerQueueMaxReadings: read.int('WRITER_QUEUE_MAX_READINGS', 200_000, 1_000, 10_000_000),
    writerQueueMaxBytes: read.int('WRITER_QUEUE_MAX_BYTES', 64 * 2 ** 20, 2 ** 20, 4 * 2 ** 30),
    writerRestWaitMs: read.int('WRITER_REST_WAIT_MS', 5_000, 0, 120_000),
    compressMinBytes: read.int('COMPRESS_MIN_BYTES', 16_384, 0, 1 << 30),
    ginListPath: ginListPath(read.string('GIN_LIST_PATH', '/iot')),
  };
}

function ginListPath(value: string): GinListPath {
  const found = GIN_LIST_PATHS.find((p) => p === value);
  if (!found) throw new ConfigError('GIN_LIST_PATH', `must be one of ${GIN_LIST_PATHS.join(', ')}`);
  return found;
}
