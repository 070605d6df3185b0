/** The sensor kinds every part of the system knows, with units and physically valid ranges. */
export const SENSOR_KINDS = [
  'temperature',
  'humidity',
  'light',
  'air_quality',
  'pressure',
  'voltage',
  'current',
  'power',
] as const;

export type SensorKind = (typeof SENSOR_KINDS)[number];

export interface SensorSpec {
  kind: SensorKind;
  unit: string;
  /** Values outside [min, max] are rejected as sensor faults, not stored as data. */
  min: number;
  max: number;
  /** The four environmental sensors every edge node has; the rest are the HVAC fields. */
  environmental: boolean;
}

export const SENSORS: Readonly<Record<SensorKind, SensorSpec>> = {
  temperature: { kind: 'temperature', unit: '°C', min: -60, max: 150, environmental: true },
  humidity: { kind: 'humidity', unit: '%RH', min: 0, max: 100, environmental: true },
  light: { kind: 'light', unit: 'lx', min: 0, max: 200_000, environmental: true },
  air_quality: { kind: 'air_quality', unit: 'AQI', min: 0, max: 1_000, environmental: true },
  pressure: { kind: 'pressure', unit: 'hPa', min: 0, max: 2_000, environmental: false },
  voltage: { kind: 'voltage', unit: 'V', min: 0, max: 1_000, environmental: false },
  current: { kind: 'current', unit: 'A', min: 0, max: 1_000, environmental: false },
  power: { kind: 'power', unit: 'W', min: 0, max: 1_000_000, environmental: false },
};

export const ENVIRONMENTAL_SENSORS: readonly SensorKind[] = SENSOR_KINDS.filter(
  (k) => SENSORS[k].environmental,
);

const kindSet: ReadonlySet<string> = new Set(SENSOR_KINDS);

export function isSensorKind(value: unknown): value is SensorKind {
  return typeof value === 'string' && kindSet.has(value);
}

/** Index of a kind in SENSOR_KINDS: the sensor column of columnar batches. */
export function sensorIndex(kind: SensorKind): number {
  return SENSOR_KINDS.indexOf(kind);
}
