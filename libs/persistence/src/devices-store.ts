/** SQL for devices: status is derived from presence and last-seen time in the query itself. */
import type { PgConnections, Sql } from './pg-connections';

export const DEVICE_STATUSES = ['online', 'stale', 'offline', 'unknown'] as const;
export type DeviceStatusValue = (typeof DEVICE_STATUSES)[number];

export const DEVICE_SORTS = [
  'id',
  '-id',
  'name',
  '-name',
  'createdAt',
  '-createdAt',
  'lastSeenAt',
  '-lastSeenAt',
] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

export interface DeviceRecord {
  id: string;
  name: string;
  location: string | null;
  sensors: string[];
  metadata: Record<string, unknown>;
  status: DeviceStatusValue;
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewDevice {
  id: string;
  name: string;
  location: string | null;
  sensors: string[];
  metadata: Record<string, unknown>;
  apiKeyHash: string;
}

export interface DeviceListQuery {
  kind?: string;
  location?: string;
  status?: DeviceStatusValue;
  sort: DeviceSort;
  limit: number;
  offset: number;
  /** Keyset: ids after (sort id) or before (sort -id) this one. */
  afterId?: string;
  staleSeconds: number;
}

/** $1 is always the stale threshold in seconds. */
const STATUS_SQL = `CASE
    WHEN presence = 'offline' THEN 'offline'
    WHEN last_seen_at IS NULL THEN 'unknown'
    WHEN last_seen_at >= now() - make_interval(secs => $1) THEN 'online'
    ELSE 'stale' END`;

const COLUMNS = `id, name, location, sensors, metadata, ${STATUS_SQL} AS status,
  last_seen_at, created_at, updated_at`;

const SORT_SQL: Record<DeviceSort, string> = {
  id: 'id ASC',
  '-id': 'id DESC',
  name: 'name ASC, id ASC',
  '-name': 'name DESC, id DESC',
  createdAt: 'created_at ASC, id ASC',
  '-createdAt': 'created_at DESC, id DESC',
  lastSeenAt: 'last_seen_at ASC NULLS FIRST, id ASC',
  '-lastSeenAt': 'last_seen_at DESC NULLS LAST, id DESC',
};

interface DeviceRow {
  id: string;
  name: string;
  location: string | null;
  sensors: string[];
  metadata: Record<string, unknown>;
  status: DeviceStatusValue;
  last_seen_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toRecord(r: DeviceRow): DeviceRecord {
  return {
    id: r.id,
    name: r.name,
    location: r.location,
    sensors: r.sensors,
    metadata: r.metadata,
    status: r.status,
    lastSeenAt: r.last_seen_at ? r.last_seen_at.toISOString() : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Inserts all devices or none: returns the ids that already exist (then nothing is stored). */
export async function insertDevices(
  db: Pick<PgConnections, 'transaction'>,
  devices: readonly NewDevice[],
  staleSeconds: number,
): Promise<{ created: DeviceRecord[]; duplicates: string[] }> {
  return db.transaction(async (tx) => {
    const rows = await tx.rows<DeviceRow>(
      `INSERT INTO devices (id, name, location, sensors, metadata, api_key_hash)
       SELECT d.id, d.name, d.location, ARRAY(SELECT jsonb_array_elements_text(d.sensors)),
              d.metadata, d.api_key_hash
         FROM jsonb_to_recordset($2::jsonb)
           AS d(id text, name text, location text, sensors jsonb, metadata jsonb, api_key_hash text)
       ON CONFLICT (id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        staleSeconds,
        JSON.stringify(
          devices.map((d) => ({
            id: d.id,
            name: d.name,
            location: d.location,
            sensors: d.sensors,
            metadata: d.metadata,
            api_key_hash: d.apiKeyHash,
          })),
        ),
      ],
    );
    if (rows.length === devices.length) return { created: rows.map(toRecord), duplicates: [] };
    const made = new Set(rows.map((r) => r.id));
    // Throwing rolls the transaction back: creating a fleet is all-or-nothing.
    throw new DuplicateDevicesError(devices.map((d) => d.id).filter((id) => !made.has(id)));
  });
}

export class DuplicateDevicesError extends Error {
  constructor(readonly ids: string[]) {
    super(`devices already exist: ${ids.slice(0, 10).join(', ')}`);
  }
}

export async function findDevice(
  db: Sql,
  id: string,
  staleSeconds: number,
): Promise<DeviceRecord | undefined> {
  const rows = await db.rows<DeviceRow>(`SELECT ${COLUMNS} FROM devices WHERE id = $2`, [
    staleSeconds,
    id,
  ]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function listDevices(db: Sql, q: DeviceListQuery): Promise<DeviceRecord[]> {
  const params: unknown[] = [q.staleSeconds];
  const p = (v: unknown) => `$${params.push(v)}`;
  const where: string[] = [];
  if (q.kind) where.push(`${p(q.kind)} = ANY(sensors)`);
  if (q.location) where.push(`location = ${p(q.location)}`);
  if (q.status) where.push(`(${STATUS_SQL}) = ${p(q.status)}`);
  if (q.afterId !== undefined) where.push(`id ${q.sort === '-id' ? '<' : '>'} ${p(q.afterId)}`);
  const rows = await db.rows<DeviceRow>(
    `SELECT ${COLUMNS} FROM devices ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${SORT_SQL[q.sort]} LIMIT ${p(q.limit)} OFFSET ${p(q.offset)}`,
    params,
  );
  return rows.map(toRecord);
}

export interface DevicePatch {
  name?: string;
  location?: string | null;
  sensors?: string[];
  metadata?: Record<string, unknown>;
}

export async function updateDevice(
  db: Sql,
  id: string,
  patch: DevicePatch,
  staleSeconds: number,
): Promise<DeviceRecord | undefined> {
  const params: unknown[] = [staleSeconds, id];
  const p = (v: unknown) => `$${params.push(v)}`;
  const sets = ['updated_at = now()'];
  if (patch.name !== undefined) sets.push(`name = ${p(patch.name)}`);
  if (patch.location !== undefined) sets.push(`location = ${p(patch.location)}`);
  if (patch.sensors !== undefined) sets.push(`sensors = ${p(patch.sensors)}::text[]`);
  if (patch.metadata !== undefined)
    sets.push(`metadata = ${p(JSON.stringify(patch.metadata))}::jsonb`);
  const rows = await db.rows<DeviceRow>(
    `UPDATE devices SET ${sets.join(', ')} WHERE id = $2 RETURNING ${COLUMNS}`,
    params,
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function deleteDevice(db: Sql, id: string): Promise<boolean> {
  const gone = await db.rows('DELETE FROM devices WHERE id = $1 RETURNING 1', [id]);
  return gone.length > 0;
}

/** Replaces a device's key hash (key rotation); false if there is no such device. */
export async function setDeviceKeyHash(db: Sql, id: string, hash: string): Promise<boolean> {
  const set = await db.rows(
    'UPDATE devices SET api_key_hash = $2, updated_at = now() WHERE id = $1 RETURNING 1',
    [id, hash],
  );
  return set.length > 0;
}

/** Presence from the retained status topic; unknown devices are registered on first sight. */
export async function recordPresence(
  db: Sql,
  id: string,
  presence: 'online' | 'offline',
  at: Date,
): Promise<void> {
  await db.rows(
    `INSERT INTO devices (id, name, presence, last_seen_at) VALUES ($1, $1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET presence = EXCLUDED.presence,
       last_seen_at = GREATEST(devices.last_seen_at, EXCLUDED.last_seen_at)`,
    [id, presence, at.toISOString()],
  );
}

/** Marks devices as heard from at `at` (readings arrived). */
export async function touchDevices(db: Sql, ids: string[], at: Date): Promise<void> {
  await db.rows(
    `UPDATE devices SET last_seen_at = $2
      WHERE id = ANY($1::text[]) AND (last_seen_at IS NULL OR last_seen_at < $2)`,
    [ids, at.toISOString()],
  );
}
