/** Set-based SQL for readings: one round trip per batch, idempotent on re-send. */
import type { Reading, SensorKind } from '@iotmon/domain';
import type { Sql } from './pg-connections';

export interface ReadingsQuery {
  deviceId?: string;
  sensor?: SensorKind;
  /** Inclusive lower bound, epoch ms. */
  from?: number;
  /** Exclusive upper bound, epoch ms. */
  to?: number;
  /** Continue after this position (from `nextCursor` of the previous page). */
  after?: ReadingPosition;
  limit: number;
}

/** Where a page ended, in the sort order ts DESC, device DESC, sensor DESC, seq DESC. */
export interface ReadingPosition {
  ts: number;
  deviceId: string;
  sensor: string;
  seq: number;
}

export interface ReadingsPage {
  readings: Reading[];
  /** Set when there may be more rows after this page. */
  next?: ReadingPosition;
}

/** Idempotent insert: rows already stored (same device, sensor, ts, seq) are skipped. */
export async function insertReadings(db: Sql, readings: readonly Reading[]): Promise<number> {
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
  const rows = await db.rows(
    `INSERT INTO readings (device_id, sensor, ts, seq, value, late)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int8[], $5::float8[], $6::bool[])
     ON CONFLICT DO NOTHING RETURNING 1`,
    [device, sensor, ts, seq, value, late],
  );
  return rows.length;
}

interface ReadingRow {
  device_id: string;
  sensor: SensorKind;
  ts: Date;
  seq: string;
  value: number;
  late: boolean;
}

function toReading(r: ReadingRow): Reading {
  const reading: Reading = {
    deviceId: r.device_id,
    sensor: r.sensor,
    value: r.value,
    ts: r.ts.getTime(),
  };
  if (r.seq !== '-1') reading.seq = Number(r.seq);
  if (r.late) reading.late = true;
  return reading;
}

/** A page of readings, newest first, with the position to continue from. */
export async function queryReadings(db: Sql, q: ReadingsQuery): Promise<ReadingsPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (q.deviceId) where.push(`device_id = ${p(q.deviceId)}`);
  if (q.sensor) where.push(`sensor = ${p(q.sensor)}`);
  if (q.from !== undefined) where.push(`ts >= ${p(new Date(q.from).toISOString())}`);
  if (q.to !== undefined) where.push(`ts < ${p(new Date(q.to).toISOString())}`);
  if (q.after) {
    const a = q.after;
    where.push(
      `(ts, device_id, sensor, seq) < (${p(new Date(a.ts).toISOString())}::timestamptz, ${p(a.deviceId)}, ${p(a.sensor)}, ${p(a.seq)}::int8)`,
    );
  }
  // With a device the order after ts needs no device_id, which lets the primary key serve it.
  const order = q.deviceId
    ? 'ts DESC, sensor DESC, seq DESC'
    : 'ts DESC, device_id DESC, sensor DESC, seq DESC';
  const rows = await db.rows<ReadingRow>(
    `SELECT device_id, sensor, ts, seq, value, late FROM readings
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${order} LIMIT ${p(q.limit)}`,
    params,
  );
  const readings = rows.map(toReading);
  const last = rows[rows.length - 1];
  return rows.length === q.limit && last
    ? {
        readings,
        next: {
          ts: last.ts.getTime(),
          deviceId: last.device_id,
          sensor: last.sensor,
          seq: Number(last.seq),
        },
      }
    : { readings };
}

/** Newest readings first (the first page of queryReadings). */
export async function latestReadings(db: Sql, q: ReadingsQuery): Promise<Reading[]> {
  return (await queryReadings(db, q)).readings;
}

export const AGGREGATE_FNS = ['avg', 'min', 'max', 'count', 'last'] as const;
export type AggregateFn = (typeof AGGREGATE_FNS)[number];

const FN_SQL: Record<AggregateFn, string> = {
  avg: 'avg(value)',
  min: 'min(value)',
  max: 'max(value)',
  count: 'count(*)::float8',
  last: '(array_agg(value ORDER BY ts DESC))[1]',
};

export interface AggregateQuery {
  deviceId?: string;
  sensor: SensorKind;
  fn: AggregateFn;
  bucketSeconds: number;
  from: number;
  to: number;
}

export interface AggregatePoint {
  /** Bucket start, epoch ms. */
  ts: number;
  value: number;
  count: number;
}

/** Time buckets aligned to the Unix epoch, oldest first; empty buckets are left out. */
export async function aggregateReadings(db: Sql, q: AggregateQuery): Promise<AggregatePoint[]> {
  const params: unknown[] = [
    `${q.bucketSeconds} seconds`,
    q.sensor,
    new Date(q.from).toISOString(),
    new Date(q.to).toISOString(),
  ];
  const device = q.deviceId ? `AND device_id = $${params.push(q.deviceId)}` : '';
  const rows = await db.rows<{ bucket: Date; value: number; n: string }>(
    `SELECT date_bin($1::interval, ts, timestamptz '1970-01-01Z') AS bucket,
            ${FN_SQL[q.fn]} AS value, count(*) AS n
       FROM readings
      WHERE sensor = $2 AND ts >= $3 AND ts < $4 ${device}
      GROUP BY 1 ORDER BY 1`,
    params,
  );
  return rows.map((r) => ({ ts: r.bucket.getTime(), value: r.value, count: Number(r.n) }));
}

/** Creates daily partitions for [today - back, today + ahead) and drops those before `keepDays`. */
export async function maintainReadingPartitions(
  db: Sql,
  opts: { daysAhead: number; retentionDays: number },
): Promise<{ created: number; dropped: number }> {
  const [made] = await db.rows<{ n: number }>(
    `SELECT readings_ensure_partitions(current_date - 1, current_date + $1::int) AS n`,
    [opts.daysAhead + 1],
  );
  let dropped = 0;
  if (opts.retentionDays > 0) {
    const [gone] = await db.rows<{ n: number }>(
      `SELECT readings_drop_partitions_before(current_date - $1::int) AS n`,
      [opts.retentionDays],
    );
    dropped = gone.n;
  }
  return { created: made.n, dropped };
}
