/** The alerting service's typed configuration, validated at start-up. */
import { EnvReader } from '@iotmon/config';
import {
  consumerSessionFromEnv,
  mqttSettingsFromEnv,
  type ConsumerSession,
  type MqttSettings,
} from '@iotmon/messaging';
import { databaseUrlFromEnv } from '@iotmon/persistence';
import { loadAuthConfig, type AuthConfig } from '@iotmon/server-kit';
import {
  webhookTargetConfigFromEnv,
  type WebhookTargetConfig,
} from './notifications/webhook-target-policy';

export interface WebhookConfig {
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt up to `backoffMaxMs`. */
  backoffMs: number;
  backoffMaxMs: number;
  timeoutMs: number;
  /** How often each replica looks for due retries (new deliveries are sent at once). */
  pollMs: number;
  /** Per-alarm rate limit: no repeated notification within this window unless severity rises. */
  notifyWindowMs: number;
  /** Deliveries sent in parallel per replica. */
  concurrency: number;
  /** Which targets may be called (https, no private addresses unless allowed). */
  targets: WebhookTargetConfig;
}

export interface AlertingConfig {
  port: number;
  host: string;
  databaseUrl: string;
  dbPoolSize: number;
  mqtt: MqttSettings;
  /** The events consumer's persistent MQTT session (stable client id per replica). */
  mqttSession: ConsumerSession;
  webhooks: WebhookConfig;
  /** Identities, tokens, rate limits (shared with the api). */
  auth: AuthConfig;
  /** Push raw readings on the live channel (subscribes to env/+/+/raw). */
  liveReadings: boolean;
  /** Evaluate raw readings of devices that send no edge verdicts with the server's rule sets. */
  serverEvaluation: boolean;
  /** How often expired shelves are lifted. */
  shelveSweepMs: number;
  /**
   * Transition batches in flight (each one statement). 1 by default: statements that NOTIFY
   * serialise at commit anyway, and one at a time makes bigger batches (see BENCHMARKS.md).
   */
  batchConcurrency: number;
  /** Most transitions in one batch. */
  batchMax: number;
  /** How often rule sets and assignments are re-read (changes made on other replicas). */
  ruleReloadMs: number;
  /** Clock tick of the server-side evaluator (staleness rules); aligned across replicas. */
  evaluationTickMs: number;
}

export const ALERTING_CONFIG = Symbol('ALERTING_CONFIG');

export function loadAlertingConfig(env: NodeJS.ProcessEnv = process.env): AlertingConfig {
  const read = new EnvReader(env);
  const port = read.int('PORT', 3001, 0, 65535);
  return {
    port,
    host: read.string('HOST', '0.0.0.0'),
    databaseUrl: databaseUrlFromEnv(env),
    dbPoolSize: read.int('ALERTING_DB_POOL_SIZE', 10, 1, 200),
    mqtt: mqttSettingsFromEnv(env),
    mqttSession: consumerSessionFromEnv('alerting', port, env),
    webhooks: {
      maxAttempts: read.int('WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      backoffMs: read.int('WEBHOOK_BACKOFF_MS', 1_000, 1, 3_600_000),
      backoffMaxMs: read.int('WEBHOOK_BACKOFF_MAX_MS', 300_000, 1, 86_400_000),
      timeoutMs: read.int('WEBHOOK_TIMEOUT_MS', 5_000, 1, 120_000),
      pollMs: read.int('WEBHOOK_POLL_MS', 500, 1, 60_000),
      notifyWindowMs: read.int('NOTIFY_WINDOW_MS', 300_000, 0, 86_400_000),
      concurrency: read.int('WEBHOOK_CONCURRENCY', 32, 1, 1_000),
      targets: webhookTargetConfigFromEnv(env),
    },
    auth: loadAuthConfig('alerting', env),
    liveReadings: read.bool('LIVE_READINGS', true),
    serverEvaluation: read.bool('SERVER_EVALUATION', true),
    shelveSweepMs: read.int('SHELVE_SWEEP_MS', 1_000, 10, 3_600_000),
    batchConcurrency: read.int('ALERTING_BATCH_CONCURRENCY', 1, 1, 64),
    batchMax: read.int('ALERTING_BATCH_MAX', 500, 1, 10_000),
    ruleReloadMs: read.int('RULES_RELOAD_MS', 5_000, 100, 3_600_000),
    evaluationTickMs: read.int('EVALUATION_TICK_MS', 5_000, 100, 3_600_000),
  };
}
