/** SQL of the Gin-compatible `ac_sensor` table (the original Go API's air-conditioner rows). */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Sql } from './pg-connections';
import { AC_SENSOR_DDL } from './migrations/1795392000000-create-ac-sensor';

export const AC_STATUSES = ['actuating', 'ventilator', 'heater', 'cooling', 'off'] as const;
export type AcStatus = (typeof AC_STATUSES)[number];

/** One row, with the original's JSON field names. */
export interface AcSensorRow {
  id: number;
  temperature_current: number;
  temperature_desired: number;
  humidity: number;
  pressure: number;
  air_quality: number;
  voltage: number;
  current: number;
  power: number;
  is_on: boolean;
  status: AcStatus;
  location: string;
  extracted_at: string;
}

export type NewAcSensorRow = Omit<AcSensorRow, 'id' | 'extracted_at'> & { extracted_at: Date };

/** The original's create_table: a no-op once the migration has run. */
export async function createAcSensorTable(db: Sql): Promise<void> {
  await db.rows(AC_SENSOR_DDL);
}

export async function listAcSensor(db: Sql, limit: number, offset: number): Promise<AcSensorRow[]> {
  const rows: (Omit<AcSensorRow, 'id' | 'extracted_at'> & { id: string; extracted_at: Date })[] =
    await db.rows(
      `SELECT id, temperature_current, temperature_desired, humidity, pressure, air_quality,
              voltage, current, power, is_on, status, location, extracted_at
         FROM ac_sensor ORDER BY id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    extracted_at: r.extracted_at.toISOString(),
  }));
}

export const AC_COPY_SQL = `COPY ac_sensor (temperature_current, temperature_desired, humidity,
  pressure, air_quality, voltage, current, power, is_on, status, location, extracted_at)
  FROM STDIN (FORMAT binary)`;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
const FLOATS = [
  'temperature_current',
  'temperature_desired',
  'humidity',
  'pressure',
  'air_quality',
  'voltage',
  'current',
  'power',
] as const;

/** Encodes rows as one COPY (FORMAT binary) payload for AC_COPY_SQL. */
export function encodeAcSensorBinary(rows: readonly NewAcSensorRow[]): Buffer {
  let size = SIGNATURE.length + 8 + 2;
  for (const r of rows)
    size += 2 + 12 * 4 + 8 * 8 + 1 + 8 + r.status.length + Buffer.byteLength(r.location);
  const buf = Buffer.allocUnsafe(size);
  let at = SIGNATURE.copy(buf, 0);
  buf.writeInt32BE(0, at);
  buf.writeInt32BE(0, at + 4);
  at += 8;
  for (const r of rows) {
    buf.writeInt16BE(12, at);
    at += 2;
    for (const f of FLOATS) {
      buf.writeInt32BE(8, at);
      buf.writeDoubleBE(r[f], at + 4);
      at += 12;
    }
    buf.writeInt32BE(1, at);
    buf[at + 4] = r.is_on ? 1 : 0;
    at += 5;
    const sl = buf.write(r.status, at + 4, 'latin1');
    buf.writeInt32BE(sl, at);
    at += 4 + sl;
    const ll = buf.write(r.location, at + 4, 'utf8');
    buf.writeInt32BE(ll, at);
    at += 4 + ll;
    const us = (r.extracted_at.getTime() - PG_EPOCH_MS) * 1000;
    const hi = Math.floor(us / TWO_32);
    buf.writeInt32BE(8, at);
    buf.writeInt32BE(hi, at + 4);
    buf.writeUInt32BE(us - hi * TWO_32, at + 8);
    at += 12;
  }
  buf.writeInt16BE(-1, at);
  return buf;
}

/** Inserts rows by binary COPY on `client`, as the original did with pgx CopyFrom. */
export async function copyAcSensor(
  client: PoolClient,
  rows: readonly NewAcSensorRow[],
): Promise<void> {
  await pipeline(Readable.from([encodeAcSensorBinary(rows)]), client.query(copyFrom(AC_COPY_SQL)));
}
