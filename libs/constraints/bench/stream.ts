/** Seeded reading streams and the rule sets the benchmark compares. */
import { BUILT_IN_CATALOGUE, type Reading, type RuleSet, type SensorKind } from '@iotmon/domain';

export const SENSORS: SensorKind[] = ['temperature', 'humidity', 'light', 'air_quality'];
const BASE = { temperature: 24, humidity: 50, light: 400, air_quality: 80 } as Record<
  string,
  number
>;
const STEP = { temperature: 0.4, humidity: 1.5, light: 40, air_quality: 8 } as Record<
  string,
  number
>;

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Stream {
  length: number;
  deviceIds: string[];
  device: Int32Array;
  sensor: Uint8Array;
  ts: Float64Array;
  value: Float64Array;
}

/** Random walks per (device, sensor), round-robin over devices and the four env sensors. */
export function makeStream(length: number, devices: number, seed = 42): Stream {
  const next = rng(seed);
  const walk = new Float64Array(devices * SENSORS.length);
  for (let i = 0; i < walk.length; i++) walk[i] = BASE[SENSORS[i % SENSORS.length]];
  const s: Stream = {
    length,
    deviceIds: Array.from({ length: devices }, (_x, i) => `edge-${i}`),
    device: new Int32Array(length),
    sensor: new Uint8Array(length),
    ts: new Float64Array(length),
    value: new Float64Array(length),
  };
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < length; i++) {
    const d = Math.floor(i / SENSORS.length) % devices;
    const k = i % SENSORS.length;
    const w = d * SENSORS.length + k;
    const kind = SENSORS[k];
    // Mean-reverting walk with the odd spike, so every rule raises and clears now and then.
    walk[w] += (BASE[kind] - walk[w]) * 0.01 + (next() - 0.5) * 2 * STEP[kind];
    const spike = next() < 0.002 ? STEP[kind] * 40 : 0;
    s.device[i] = d;
    s.sensor[i] = BUILT_IN_CATALOGUE.index(kind);
    s.ts[i] = t0 + i;
    s.value[i] = Math.max(0, walk[w] + spike);
  }
  return s;
}

export function toReadings(s: Stream, count: number): Reading[] {
  return Array.from({ length: count }, (_x, i) => ({
    deviceId: s.deviceIds[s.device[i]],
    sensor: SENSORS[i % SENSORS.length],
    ts: s.ts[i],
    value: s.value[i],
  }));
}

export const FOUR_THRESHOLDS: RuleSet = {
  version: 1,
  rules: [
    {
      id: 'temperature_alert',
      sensor: 'temperature',
      severity: 'warning',
      kind: 'threshold',
      op: '>',
      value: 30,
    },
    {
      id: 'humidity_high',
      sensor: 'humidity',
      severity: 'warning',
      kind: 'threshold',
      op: '>',
      value: 70,
    },
    { id: 'light_dark', sensor: 'light', severity: 'info', kind: 'threshold', op: '<', value: 10 },
    {
      id: 'air_quality_poor',
      sensor: 'air_quality',
      severity: 'warning',
      kind: 'threshold',
      op: '>',
      value: 150,
    },
  ],
};

/** One stateful rule of each kind the issue names, one per sensor. */
export const MIXED_STATEFUL: RuleSet = {
  version: 1,
  rules: [
    {
      id: 'temperature_avg',
      sensor: 'temperature',
      severity: 'warning',
      kind: 'window',
      aggregate: 'avg',
      samples: 10,
      op: '>',
      value: 28,
    },
    {
      id: 'humidity_high',
      sensor: 'humidity',
      severity: 'warning',
      kind: 'hysteresis',
      direction: 'above',
      raiseAt: 70,
      clearAt: 65,
    },
    {
      id: 'light_dark',
      sensor: 'light',
      severity: 'info',
      kind: 'debounce',
      condition: { kind: 'threshold', op: '<', value: 10 },
      raise: { samples: 3 },
      clear: { ms: 10 },
    },
    {
      id: 'air_quality_anomaly',
      sensor: 'air_quality',
      severity: 'warning',
      kind: 'anomaly',
      alpha: 0.05,
      k: 4,
      warmup: 20,
    },
  ],
};

/** json-rules-engine rules equivalent to FOUR_THRESHOLDS (stateless, one verdict per reading). */
export const JRE_RULES = FOUR_THRESHOLDS.rules.map((r) => {
  const t = r as { op: string; value: number };
  return {
    name: r.id,
    conditions: {
      all: [
        { fact: 'sensor', operator: 'equal', value: r.sensor },
        { fact: 'value', operator: t.op === '>' ? 'greaterThan' : 'lessThan', value: t.value },
      ],
    },
    event: { type: r.id, params: { severity: r.severity } },
  };
});
