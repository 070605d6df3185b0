/** Parsers for the sensor variables: SENSORS (`kind[:intervalMs],...`) and SENSOR_FAULTS. */
import { ConfigError } from '@iotmon/config';
import { isSensorKindId, type SensorKind } from '@iotmon/domain';
import type { SourceFaults } from '../sensors/simulated-source';

export interface SensorEntry {
  kind: SensorKind;
  intervalMs?: number;
  source?: { type: 'simulated' } | { type: 'replay'; file: string };
  faults?: SourceFaults;
}

/** `temperature:250,humidity` — an interval in ms after a colon overrides SENSOR_INTERVAL_MS. */
export function parseSensorList(raw: string): SensorEntry[] {
  return raw.split(',').map((item) => {
    const [kind, interval, ...rest] = item.trim().split(':');
    if (!isSensorKindId(kind)) {
      throw new ConfigError(
        'SENSORS',
        `has "${kind}", which is not a sensor kind id (a-z, 0-9, _)`,
      );
    }
    if (rest.length) throw new ConfigError('SENSORS', `has a malformed entry "${item.trim()}"`);
    if (interval === undefined) return { kind };
    const ms = Number(interval);
    if (!/^\d+$/.test(interval) || ms < 1 || ms > 3_600_000) {
      throw new ConfigError(
        'SENSORS',
        `interval of ${kind} must be 1-3600000 ms, got "${interval}"`,
      );
    }
    return { kind, intervalMs: ms };
  });
}

const FAULT_MODES: Record<string, keyof SourceFaults> = {
  fail: 'failRate',
  anomaly: 'anomalyRate',
  stuck: 'stuckRate',
};

/** `light:fail=1,temperature:anomaly=0.01` — injected faults per sensor (probabilities). */
export function parseFaults(raw: string | undefined): Partial<Record<SensorKind, SourceFaults>> {
  const out: Partial<Record<SensorKind, SourceFaults>> = {};
  if (!raw) return out;
  for (const item of raw.split(',')) {
    const m = /^([a-z_]+):(fail|anomaly|stuck)(?:=([0-9.]+))?$/.exec(item.trim());
    if (!m) {
      throw new ConfigError(
        'SENSOR_FAULTS',
        `entry "${item.trim()}" must look like sensor:fail|anomaly|stuck[=probability]`,
      );
    }
    const [, kind, mode, p] = m;
    if (!isSensorKindId(kind))
      throw new ConfigError('SENSOR_FAULTS', `has "${kind}", which is not a sensor kind id`);
    const rate = p === undefined ? 1 : Number(p);
    if (!(rate >= 0 && rate <= 1)) {
      throw new ConfigError(
        'SENSOR_FAULTS',
        `probability of ${kind}:${mode} must be 0-1, got "${p}"`,
      );
    }
    (out[kind] ??= {})[FAULT_MODES[mode]] = rate;
  }
  return out;
}
