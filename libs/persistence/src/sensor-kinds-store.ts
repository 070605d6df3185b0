/**
 * SQL of the sensor-kinds catalogue (table owned by the api's sensor-kinds feature), and
 * LiveSensorCatalogue: a process's copy of it, reloaded on the table's NOTIFY (and every
 * `refreshMs` in case a notification was missed while the LISTEN connection was down).
 */
import {
  BUILT_IN_CATALOGUE,
  catalogueFingerprint,
  SensorCatalogue,
  type KindRule,
  type SensorKindSpec,
} from '@iotmon/domain';
import { PgConnections, type Listener } from './pg-connections';

export const SENSOR_KINDS_CHANNEL = 'sensor_kinds';

const COLUMNS = `id, display_name AS "displayName", unit, min, max, decimals,
  default_rules AS "defaultRules"`;

export async function listSensorKinds(pg: PgConnections): Promise<SensorKindSpec[]> {
  return pg.rows<SensorKindSpec & { defaultRules: KindRule[] }>(
    `SELECT ${COLUMNS} FROM sensor_kinds ORDER BY position`,
    [],
    'sensor_kinds_list',
  );
}

export async function findSensorKind(
  pg: PgConnections,
  id: string,
): Promise<SensorKindSpec | undefined> {
  const rows = await pg.rows<SensorKindSpec>(`SELECT ${COLUMNS} FROM sensor_kinds WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/** Inserts a kind; undefined when the id exists already. */
export async function insertSensorKind(
  pg: PgConnections,
  k: SensorKindSpec,
): Promise<SensorKindSpec | undefined> {
  const rows = await pg.rows<SensorKindSpec>(
    `INSERT INTO sensor_kinds (id, display_name, unit, min, max, decimals, default_rules)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
     ON CONFLICT (id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [k.id, k.displayName, k.unit, k.min, k.max, k.decimals, JSON.stringify(k.defaultRules)],
  );
  return rows[0];
}

export async function updateSensorKind(
  pg: PgConnections,
  k: SensorKindSpec,
): Promise<SensorKindSpec | undefined> {
  const rows = await pg.rows<SensorKindSpec>(
    `UPDATE sensor_kinds SET display_name = $2, unit = $3, min = $4, max = $5, decimals = $6,
       default_rules = $7::jsonb, updated_at = now()
     WHERE id = $1
     RETURNING ${COLUMNS}`,
    [k.id, k.displayName, k.unit, k.min, k.max, k.decimals, JSON.stringify(k.defaultRules)],
  );
  return rows[0];
}

/**
 * Where a kind is still used: readings stored under it, devices listing it, rule sets or
 * sensor assignments naming it, open alarms. Empty when it may be deleted.
 */
export async function sensorKindUses(pg: PgConnections, id: string): Promise<string[]> {
  const [row] = await pg.rows<{
    readings: boolean;
    devices: boolean;
    rules: boolean;
    alarms: boolean;
  }>(
    `SELECT
       EXISTS (SELECT 1 FROM readings WHERE sensor = $1) AS readings,
       EXISTS (SELECT 1 FROM devices WHERE $1 = ANY (sensors)) AS devices,
       EXISTS (SELECT 1 FROM rule_sets r, jsonb_array_elements(r.body->'rules') x
                WHERE x->>'sensor' = $1)
         OR EXISTS (SELECT 1 FROM rule_set_assignments
                     WHERE target_kind = 'sensor' AND target = $1) AS rules,
       EXISTS (SELECT 1 FROM alarms WHERE sensor = $1 AND state <> 'cleared') AS alarms`,
    [id],
  );
  return (['readings', 'devices', 'rules', 'alarms'] as const).filter((k) => row[k]);
}

export async function deleteSensorKind(pg: PgConnections, id: string): Promise<boolean> {
  const rows = await pg.rows<{ id: string }>(
    'DELETE FROM sensor_kinds WHERE id = $1 RETURNING id',
    [id],
  );
  return rows.length > 0;
}

type ChangeListener = (catalogue: SensorCatalogue) => void;

/**
 * The catalogue as this process last read it. Until the first load succeeds (PostgreSQL
 * down at start) it is the built-in one. `current` is a plain field: the ingestion hot path
 * reads it once per message and looks kinds up in its Map.
 */
export class LiveSensorCatalogue {
  current: SensorCatalogue = BUILT_IN_CATALOGUE;
  private listener?: Listener;
  private timer?: NodeJS.Timeout;
  private readonly listeners: ChangeListener[] = [];
  private loading?: Promise<void>;
  private fingerprint = catalogueFingerprint(BUILT_IN_CATALOGUE.kinds);

  constructor(
    private readonly pg: PgConnections,
    private readonly refreshMs = 30_000,
  ) {}

  onChange(fn: ChangeListener): void {
    this.listeners.push(fn);
  }

  /** Nest lifecycle hook (the provider is a plain class): first load, LISTEN, timer. */
  async onModuleInit(): Promise<void> {
    await this.reload().catch(() => undefined);
    this.listener = await this.pg
      .listen(SENSOR_KINDS_CHANNEL, () => void this.reload().catch(() => undefined))
      .catch(() => undefined);
    this.timer = setInterval(() => void this.reload().catch(() => undefined), this.refreshMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.listener?.close();
  }

  /** Re-reads the table; concurrent calls share one read. Listeners hear only of changes. */
  reload(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<void> {
    const kinds = await listSensorKinds(this.pg);
    const fingerprint = catalogueFingerprint(kinds);
    if (fingerprint === this.fingerprint) return;
    this.fingerprint = fingerprint;
    this.current = new SensorCatalogue(kinds);
    for (const fn of this.listeners) fn(this.current);
  }
}

/** Nest provider (api, alerting): the process's one LiveSensorCatalogue. */
export const liveSensorCatalogueProvider = {
  provide: LiveSensorCatalogue,
  useFactory: (pg: PgConnections) => new LiveSensorCatalogue(pg),
  inject: [PgConnections],
};
