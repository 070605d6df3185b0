/**
 * Sensor kinds are data: a catalogue (PostgreSQL `sensor_kinds`, served by the api at
 * /sensor-kinds, sent to edges with their config) that every part takes as a value. Nothing
 * here knows a particular kind except BUILT_IN_SENSOR_KINDS, the catalogue's first rows and
 * what a process uses before it has loaded the real one.
 */
import type { RuleHeader, RuleSpec } from './rule-set';

/** A kind's id, e.g. `temperature`, `co2`: one of the catalogue's ids. */
export type SensorKind = string;

/** Lower-case id: the raw topic's sensor segment and the readings' sensor column. */
export const SENSOR_KIND_ID_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/** A rule of a kind, without its sensor (the kind's id is filled in). */
export type KindRule = Omit<RuleHeader, 'sensor' | 'devices'> & RuleSpec;

export interface SensorKindSpec {
  id: SensorKind;
  displayName: string;
  unit: string;
  /** Values outside [min, max] are rejected as sensor faults, not stored as data. */
  min: number;
  max: number;
  /** Digits after the decimal point to show (and to round simulated values to), 0-6. */
  decimals: number;
  /** The rules of the built-in default rule set for this kind. */
  defaultRules: KindRule[];
}

export function isSensorKindId(value: unknown): value is SensorKind {
  return typeof value === 'string' && SENSOR_KIND_ID_PATTERN.test(value);
}

/** An immutable catalogue: lookups by id, and each kind's column index (its position). */
export class SensorCatalogue {
  readonly kinds: readonly SensorKindSpec[];
  readonly ids: readonly SensorKind[];
  private readonly byId: ReadonlyMap<string, SensorKindSpec>;

  constructor(kinds: readonly SensorKindSpec[]) {
    this.kinds = [...kinds];
    this.ids = this.kinds.map((k) => k.id);
    this.byId = new Map(this.kinds.map((k) => [k.id, k]));
  }

  /** The spec of a kind; undefined for anything not in the catalogue (one Map lookup). */
  get(id: unknown): SensorKindSpec | undefined {
    return typeof id === 'string' ? this.byId.get(id) : undefined;
  }

  has(id: unknown): id is SensorKind {
    return typeof id === 'string' && this.byId.has(id);
  }

  /** Position of a kind in `ids`: the sensor column of columnar batches; -1 if unknown. */
  index(id: SensorKind): number {
    return this.ids.indexOf(id);
  }
}

const FIVE_MINUTES = 5 * 60 * 1000;
const noData = (id: string): KindRule => ({
  id: `${id}_no_data`,
  severity: 'warning',
  kind: 'staleness',
  ms: FIVE_MINUTES,
  message: `no ${id} reading for 5 minutes`,
});

/**
 * The catalogue's seed (migration 1795737600000 inserts the same rows; a persistence spec
 * holds them equal). `temperature_alert` reproduces the original edge check (a reading above
 * 30 °C); the other rules are conservative defaults for an office or a server room.
 */
export const BUILT_IN_SENSOR_KINDS: readonly SensorKindSpec[] = [
  {
    id: 'temperature',
    displayName: 'Temperature',
    unit: '°C',
    min: -60,
    max: 150,
    decimals: 1,
    defaultRules: [
      {
        id: 'temperature_alert',
        severity: 'warning',
        kind: 'threshold',
        op: '>',
        value: 30,
        message: 'temperature {value} °C above 30 °C',
      },
      noData('temperature'),
    ],
  },
  {
    id: 'humidity',
    displayName: 'Humidity',
    unit: '%RH',
    min: 0,
    max: 100,
    decimals: 1,
    defaultRules: [
      {
        id: 'humidity_high',
        severity: 'warning',
        kind: 'hysteresis',
        direction: 'above',
        raiseAt: 70,
        clearAt: 65,
        message: 'humidity {value} %RH above 70 %RH',
      },
      {
        id: 'humidity_low',
        severity: 'info',
        kind: 'hysteresis',
        direction: 'below',
        raiseAt: 20,
        clearAt: 25,
        message: 'humidity {value} %RH below 20 %RH',
      },
      noData('humidity'),
    ],
  },
  {
    id: 'light',
    displayName: 'Light',
    unit: 'lx',
    min: 0,
    max: 200_000,
    decimals: 0,
    defaultRules: [
      {
        id: 'light_dark',
        severity: 'info',
        kind: 'debounce',
        condition: { kind: 'threshold', op: '<', value: 10 },
        raise: { samples: 3 },
        clear: { samples: 3 },
        message: 'light {value} lx: dark for 3 readings',
      },
      noData('light'),
    ],
  },
  {
    id: 'air_quality',
    displayName: 'Air quality',
    unit: 'AQI',
    min: 0,
    max: 1_000,
    decimals: 0,
    defaultRules: [
      {
        id: 'air_quality_poor',
        severity: 'warning',
        kind: 'hysteresis',
        direction: 'above',
        raiseAt: 150,
        clearAt: 100,
        message: 'air quality index {value} above 150',
      },
      {
        id: 'air_quality_hazardous',
        severity: 'critical',
        kind: 'threshold',
        op: '>',
        value: 300,
        message: 'air quality index {value} above 300 (hazardous)',
      },
      noData('air_quality'),
    ],
  },
  kind('pressure', 'Pressure', 'hPa', 0, 2_000, 1),
  kind('voltage', 'Voltage', 'V', 0, 1_000, 1),
  kind('current', 'Current', 'A', 0, 1_000, 2),
  kind('power', 'Power', 'W', 0, 1_000_000, 0),
  {
    ...kind('co2', 'CO₂', 'ppm', 0, 10_000, 0),
    defaultRules: [
      {
        id: 'co2_high',
        severity: 'warning',
        kind: 'hysteresis',
        direction: 'above',
        raiseAt: 1_400,
        clearAt: 1_000,
        message: 'CO₂ {value} ppm above 1400 ppm: ventilate',
      },
    ],
  },
  kind('pm2_5', 'PM2.5', 'µg/m³', 0, 1_000, 1),
  kind('pm10', 'PM10', 'µg/m³', 0, 1_000, 1),
  kind('voc', 'VOC', 'ppb', 0, 10_000, 0),
  kind('occupancy', 'Occupancy', 'count', 0, 10_000, 0),
  kind('energy', 'Energy', 'kWh', 0, 1_000_000_000, 3),
  kind('noise', 'Noise', 'dB(A)', 0, 194, 1),
];

function kind(
  id: string,
  displayName: string,
  unit: string,
  min: number,
  max: number,
  decimals: number,
): SensorKindSpec {
  return { id, displayName, unit, min, max, decimals, defaultRules: [] };
}

/** The catalogue a process uses until it has loaded (or been sent) the real one. */
export const BUILT_IN_CATALOGUE = new SensorCatalogue(BUILT_IN_SENSOR_KINDS);
