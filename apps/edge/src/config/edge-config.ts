/**
 * The edge node's typed configuration: built-in defaults, then an optional JSON file
 * (EDGE_CONFIG_FILE), then environment variables, each validated at start-up with a message
 * naming the bad variable or file field.
 */
import { ConfigError, EnvReader } from '@iotmon/config';
import { isDeviceId, type SensorKind } from '@iotmon/domain';
import { mqttSettingsFromEnv, type MqttSettings } from '@iotmon/messaging';
import type { SourceFaults } from '../sensors/simulated-source';
import { readConfigFile, type FileConfig } from './config-file';
import { parseFaults, parseSensorList, type SensorEntry } from './sensor-list';

export type SourceSpec = { type: 'simulated' } | { type: 'replay'; file: string };

export interface SensorConfig {
  kind: SensorKind;
  intervalMs: number;
  source: SourceSpec;
  faults: SourceFaults;
}

export interface EdgeConfig {
  nodeId: string;
  mqtt: MqttSettings;
  sensors: SensorConfig[];
  rawQos: 0 | 1;
  /** Readings per raw message per sensor (1 = no batching). */
  rawBatch: number;
  /** Period of the retained `online` heartbeat on the status topic; 0 = only on connect. */
  heartbeatMs: number;
  /** Clock tick for staleness rules. */
  tickMs: number;
  outbox: {
    dir: string | undefined;
    maxBytes: number;
    maxAgeMs: number;
    /** Appends are written and fdatasync'ed in groups at most this long apart. */
    flushMs: number;
  };
  /** Sent items without the server's commit ack after this long are sent again. */
  ackTimeoutMs: number;
  /** Sensors stop sampling at this epoch ms (load and chaos runs: the outbox then drains). */
  sampleUntil: number | undefined;
  /** A sensor loop late by up to this takes the missed samples at once instead of skipping. */
  sampleCatchUpMs: number;
  reconnect: { minMs: number; maxMs: number };
  /** Port of /metrics and /health; 0 picks a free one. */
  httpPort: number;
  /** Fleet mode: one process simulates `nodes` nodes named `${prefix}0001`... */
  fleet: { nodes: number; prefix: string } | undefined;
}

export const EDGE_CONFIG = Symbol('EDGE_CONFIG');

/**
 * The sensors of a node without SENSORS: the original system's four. A listed kind need not
 * be in the built-in catalogue: its loop starts once the catalogue sent with the node's config
 * has it (sensor kinds are data, GET /sensor-kinds).
 */
export const DEFAULT_SENSORS: readonly SensorKind[] = [
  'temperature',
  'humidity',
  'light',
  'air_quality',
];

/** Default periods, 5-10 s as in the original system, staggered so sensors do not align. */
const DEFAULT_INTERVAL_MS: Partial<Record<SensorKind, number>> = {
  temperature: 5_000,
  humidity: 7_000,
  light: 10_000,
  air_quality: 6_000,
  pressure: 8_000,
  voltage: 5_000,
  current: 5_000,
  power: 5_000,
};

const MB = 1024 * 1024;

export function loadEdgeConfig(env: NodeJS.ProcessEnv = process.env): EdgeConfig {
  const read = new EnvReader(env);
  const filePath = read.optional('EDGE_CONFIG_FILE');
  const file: FileConfig = filePath ? readConfigFile(filePath) : {};

  const nodeId = read.optional('NODE_ID') ?? file.nodeId ?? 'edge-1';
  if (!isDeviceId(nodeId)) {
    throw new ConfigError(
      'NODE_ID',
      `must be 1-64 characters of A-Z a-z 0-9 _ . -, got "${nodeId}"`,
    );
  }
  const mqtt = mqttSettingsFromEnv({
    MQTT_URL: file.mqtt?.url,
    MQTT_USERNAME: file.mqtt?.username,
    MQTT_PASSWORD: file.mqtt?.password,
    ...env,
  });

  const interval = read.int('SENSOR_INTERVAL_MS', 0, 0, 3_600_000);
  const defaultSource = parseSource(read.optional('SENSOR_SOURCE'));
  const faults = parseFaults(read.optional('SENSOR_FAULTS'));
  const listed = read.optional('SENSORS');
  const base: SensorEntry[] = listed
    ? parseSensorList(listed)
    : (file.sensors ?? DEFAULT_SENSORS.map((kind) => ({ kind })));
  const sensors: SensorConfig[] = base.map((s) => ({
    kind: s.kind,
    intervalMs: s.intervalMs ?? (interval || (DEFAULT_INTERVAL_MS[s.kind] ?? 5_000)),
    source: s.source ?? defaultSource ?? { type: 'simulated' },
    faults: { ...s.faults, ...faults[s.kind] },
  }));
  if (new Set(sensors.map((s) => s.kind)).size !== sensors.length) {
    throw new ConfigError(listed ? 'SENSORS' : `${filePath} sensors`, 'lists a sensor twice');
  }

  const outboxDir = read.optional('OUTBOX_DIR') ?? file.outbox?.dir ?? `.data/outbox/${nodeId}`;
  const reconnect = {
    minMs: read.int('RECONNECT_MIN_MS', file.reconnect?.minMs ?? 500, 10, 600_000),
    maxMs: read.int('RECONNECT_MAX_MS', file.reconnect?.maxMs ?? 30_000, 10, 3_600_000),
  };
  if (reconnect.maxMs < reconnect.minMs) {
    throw new ConfigError(
      'RECONNECT_MAX_MS',
      `must be at least RECONNECT_MIN_MS (${reconnect.minMs})`,
    );
  }
  const fleetNodes = read.int('FLEET_NODES', file.fleet?.nodes ?? 0, 0, 100_000);
  const prefix = read.optional('FLEET_PREFIX') ?? file.fleet?.prefix ?? `${nodeId}-`;
  if (fleetNodes > 0 && !isDeviceId(`${prefix}${fleetNodes}`)) {
    throw new ConfigError('FLEET_PREFIX', `must make valid device ids, got "${prefix}"`);
  }

  return {
    nodeId,
    mqtt,
    sensors,
    rawQos: read.int('RAW_QOS', file.rawQos ?? 1, 0, 1) as 0 | 1,
    rawBatch: read.int('RAW_BATCH', file.rawBatch ?? 1, 1, 1_000),
    heartbeatMs: read.int('HEARTBEAT_MS', file.heartbeatMs ?? 30_000, 0, 3_600_000),
    tickMs: read.int('RULES_TICK_MS', file.tickMs ?? 1_000, 10, 600_000),
    outbox: {
      dir: outboxDir === 'none' ? undefined : outboxDir,
      maxBytes: read.int(
        'OUTBOX_MAX_BYTES',
        file.outbox?.maxBytes ?? 64 * MB,
        1_024,
        64 * 1024 * MB,
      ),
      maxAgeMs: read.int(
        'OUTBOX_MAX_AGE_MS',
        file.outbox?.maxAgeMs ?? 86_400_000,
        1_000,
        365 * 86_400_000,
      ),
      flushMs: read.int('OUTBOX_FLUSH_MS', 10, 1, 10_000),
    },
    ackTimeoutMs: read.int('ACK_TIMEOUT_MS', 10_000, 100, 3_600_000),
    sampleUntil: read.int('SAMPLE_UNTIL', 0, 0, Number.MAX_SAFE_INTEGER) || undefined,
    sampleCatchUpMs: read.int('SAMPLE_CATCH_UP_MS', 0, 0, 60_000),
    reconnect,
    httpPort: read.int('EDGE_HTTP_PORT', file.httpPort ?? 3002, 0, 65_535),
    fleet: fleetNodes > 0 ? { nodes: fleetNodes, prefix } : undefined,
  };
}

/** `simulated` or `replay:<file>`. */
export function parseSource(
  raw: string | undefined,
  variable = 'SENSOR_SOURCE',
): SourceSpec | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'simulated') return { type: 'simulated' };
  const m = /^replay:(.+)$/.exec(raw);
  if (m) return { type: 'replay', file: m[1] };
  throw new ConfigError(variable, `must be "simulated" or "replay:<file>", got "${raw}"`);
}
