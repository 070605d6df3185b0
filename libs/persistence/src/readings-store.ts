/** Set-based SQL for readings: one round trip per batch, idempotent on re-send. */
import type { Reading, SensorKind } from '@iotmon/domain';
import type { EntityManager } from 'typeorm';

export interface ReadingsQuery {
  deviceId?: string;
  sensor?: SensorKind;
  limit: number;
}

export async function insertReadings(
  db: EntityManager,
  readings: readonly Reading[],
): Promise<number> {
  if (readings.length === 0) return 0;
  const n = readings.length;
  const device = new Array<string>(n);
  const sensor = new Array<string>(n);
  const ts = new Array<string>(n);
  const seq = new Array<number>(n);
  const value = new Array<number>(n);
  const late = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    const r = readings[i];
    device[i] = r.deviceId;
    sensor[i] = r.sensor;
    ts[i] = new Date(r.ts).toISOString();
    seq[i] = r.seq ?? -1;
    value[i] = r.value;
    late[i] = r.late === true;
  }
  const rows: unknown[] = await db.query(
    `INSERT INTO readings (device_id, sensor, ts, seq, value, late)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int8[], $5::float8[], $6::bool[])
     ON CONFLICT DO NOTHING RETURNING 1`,
    [device, sensor, ts, seq, value, late],
  );
  return rows.length;
}

export async function latestReadings(db: EntityManager, q: ReadingsQuery): Promise<Reading[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.deviceId) where.push(`device_id = $${params.push(q.deviceId)}`);
  if (q.sensor) where.push(`sensor = $${params.push(q.sensor)}`);
  const rows: {
    device_id: string;
    sensor: SensorKind;
    ts: Date;
    seq: string;
    value: number;
    late: boolean;
  }[] = await db.query(
    `SELECT device_id, sensor, ts, seq, value, late FROM readings
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ts DESC LIMIT $${params.push(q.limit)}`,
    params,
  );
  return rows.map((r) => {
    const reading: Reading = {
      deviceId: r.device_id,
      sensor: r.sensor,
      value: r.value,
      ts: r.ts.getTime(),
    };
    if (r.seq !== '-1') reading.seq = Number(r.seq);
    if (r.late) reading.late = true;
    return reading;
  });
}
