import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sensor-kinds catalogue (served by the api at /sensor-kinds): a kind's id, display name,
 * unit, valid range, decimals and default rules. `position` orders the kinds (a kind's sensor
 * index in the evaluators). A NOTIFY on channel `sensor_kinds` after every change lets api and
 * alerting reload their copies at once. Seeded with the eight kinds the code knew and the
 * building team's first request (the rows of libs/domain BUILT_IN_SENSOR_KINDS, frozen here).
 */
const SEED = [
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
      {
        id: 'temperature_no_data',
        severity: 'warning',
        kind: 'staleness',
        ms: 300000,
        message: 'no temperature reading for 5 minutes',
      },
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
      {
        id: 'humidity_no_data',
        severity: 'warning',
        kind: 'staleness',
        ms: 300000,
        message: 'no humidity reading for 5 minutes',
      },
    ],
  },
  {
    id: 'light',
    displayName: 'Light',
    unit: 'lx',
    min: 0,
    max: 200000,
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
      {
        id: 'light_no_data',
        severity: 'warning',
        kind: 'staleness',
        ms: 300000,
        message: 'no light reading for 5 minutes',
      },
    ],
  },
  {
    id: 'air_quality',
    displayName: 'Air quality',
    unit: 'AQI',
    min: 0,
    max: 1000,
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
      {
        id: 'air_quality_no_data',
        severity: 'warning',
        kind: 'staleness',
        ms: 300000,
        message: 'no air_quality reading for 5 minutes',
      },
    ],
  },
  {
    id: 'pressure',
    displayName: 'Pressure',
    unit: 'hPa',
    min: 0,
    max: 2000,
    decimals: 1,
    defaultRules: [],
  },
  {
    id: 'voltage',
    displayName: 'Voltage',
    unit: 'V',
    min: 0,
    max: 1000,
    decimals: 1,
    defaultRules: [],
  },
  {
    id: 'current',
    displayName: 'Current',
    unit: 'A',
    min: 0,
    max: 1000,
    decimals: 2,
    defaultRules: [],
  },
  {
    id: 'power',
    displayName: 'Power',
    unit: 'W',
    min: 0,
    max: 1000000,
    decimals: 0,
    defaultRules: [],
  },
  {
    id: 'co2',
    displayName: 'CO₂',
    unit: 'ppm',
    min: 0,
    max: 10000,
    decimals: 0,
    defaultRules: [
      {
        id: 'co2_high',
        severity: 'warning',
        kind: 'hysteresis',
        direction: 'above',
        raiseAt: 1400,
        clearAt: 1000,
        message: 'CO₂ {value} ppm above 1400 ppm: ventilate',
      },
    ],
  },
  {
    id: 'pm2_5',
    displayName: 'PM2.5',
    unit: 'µg/m³',
    min: 0,
    max: 1000,
    decimals: 1,
    defaultRules: [],
  },
  {
    id: 'pm10',
    displayName: 'PM10',
    unit: 'µg/m³',
    min: 0,
    max: 1000,
    decimals: 1,
    defaultRules: [],
  },
  { id: 'voc', displayName: 'VOC', unit: 'ppb', min: 0, max: 10000, decimals: 0, defaultRules: [] },
  {
    id: 'occupancy',
    displayName: 'Occupancy',
    unit: 'count',
    min: 0,
    max: 10000,
    decimals: 0,
    defaultRules: [],
  },
  {
    id: 'energy',
    displayName: 'Energy',
    unit: 'kWh',
    min: 0,
    max: 1000000000,
    decimals: 3,
    defaultRules: [],
  },
  {
    id: 'noise',
    displayName: 'Noise',
    unit: 'dB(A)',
    min: 0,
    max: 194,
    decimals: 1,
    defaultRules: [],
  },
];

export class CreateSensorKinds1795737600000 implements MigrationInterface {
  name = 'CreateSensorKinds1795737600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sensor_kinds (
        id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,31}$'),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
        unit text NOT NULL CHECK (length(unit) BETWEEN 1 AND 16),
        min double precision NOT NULL,
        max double precision NOT NULL,
        decimals smallint NOT NULL CHECK (decimals BETWEEN 0 AND 6),
        default_rules jsonb NOT NULL DEFAULT '[]',
        position bigint GENERATED ALWAYS AS IDENTITY,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (min < max)
      )`);
    await q.query(
      `INSERT INTO sensor_kinds (id, display_name, unit, min, max, decimals, default_rules)
       SELECT k->>'id', k->>'displayName', k->>'unit', (k->>'min')::float8, (k->>'max')::float8,
              (k->>'decimals')::smallint, k->'defaultRules'
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS s(k, n) ORDER BY n`,
      [JSON.stringify(SEED)],
    );
    await q.query(`
      CREATE FUNCTION notify_sensor_kinds_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sensor_kinds', TG_OP);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER sensor_kinds_change AFTER INSERT OR UPDATE OR DELETE ON sensor_kinds
        FOR EACH STATEMENT EXECUTE FUNCTION notify_sensor_kinds_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER sensor_kinds_change ON sensor_kinds');
    await q.query('DROP FUNCTION notify_sensor_kinds_change()');
    await q.query('DROP TABLE sensor_kinds');
  }
}
