/** The edge node's typed configuration, validated at start-up. */
import { EnvReader, ConfigError } from '@iotmon/config';
import { ENVIRONMENTAL_SENSORS, isDeviceId, isSensorKind, type SensorKind } from '@iotmon/domain';
import { mqttSettingsFromEnv, type MqttSettings } from '@iotmon/messaging';

export interface EdgeConfig {
  nodeId: string;
  mqtt: MqttSettings;
  sensors: { kind: SensorKind; intervalMs: number }[];
  rawQos: 0 | 1;
}

export const EDGE_CONFIG = Symbol('EDGE_CONFIG');

/** Default periods, 5-10 s as in the original system, staggered so sensors do not align. */
const DEFAULT_INTERVAL_MS: Partial<Record<SensorKind, number>> = {
  temperature: 5_000,
  humidity: 7_000,
  light: 10_000,
  air_quality: 6_000,
};

export function loadEdgeConfig(env: NodeJS.ProcessEnv = process.env): EdgeConfig {
  const read = new EnvReader(env);
  const nodeId = read.string('NODE_ID', 'edge-1');
  if (!isDeviceId(nodeId))
    throw new ConfigError(
      'NODE_ID',
      `must be 1-64 characters of A-Z a-z 0-9 _ . -, got "${nodeId}"`,
    );
  const kinds = (read.optional('SENSORS') ?? ENVIRONMENTAL_SENSORS.join(','))
    .split(',')
    .map((s) => s.trim());
  for (const k of kinds)
    if (!isSensorKind(k)) throw new ConfigError('SENSORS', `has unknown sensor kind "${k}"`);
  const override = read.int('SENSOR_INTERVAL_MS', 0, 0, 3_600_000);
  return {
    nodeId,
    mqtt: mqttSettingsFromEnv(env),
    sensors: (kinds as SensorKind[]).map((kind) => ({
      kind,
      intervalMs: override || DEFAULT_INTERVAL_MS[kind] || 5_000,
    })),
    rawQos: read.int('RAW_QOS', 1, 0, 1) as 0 | 1,
  };
}
