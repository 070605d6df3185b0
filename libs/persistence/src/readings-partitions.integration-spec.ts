import { createTestDatabase, type TestDatabase } from '@iotmon/testing';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { PgConnections } from './pg-connections';
import { copyReadingsBinary, encodeReadingRows, isUniqueViolation } from './readings-copy';
import { aggregateReadings, maintainReadingPartitions, queryReadings } from './readings-store';

describe('partitioned readings: binary COPY, pages, buckets, retention', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let pg: PgConnections;
  const now = Date.now();
  const t0 = now - (now % 60_000) - 3_600_000;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource(db.url).initialize();
    pg = new PgConnections(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('loads a binary COPY exactly, and refuses a re-sent batch as a unique violation', async () => {
    const batch = Array.from({ length: 120 }, (_, i) => ({
      deviceId: 'copy-1',
      sensor: 'temperature' as const,
      value: 20 + i / 7,
      ts: t0 + i * 30_000,
      ...(i % 2 ? { seq: i * 1_000_000_007 } : {}),
      ...(i % 5 === 0 ? { late: true } : {}),
    }));
    await pg.withClient(async (client) => {
      await copyReadingsBinary(client, [encodeReadingRows(batch)]);
      const again = await copyReadingsBinary(client, [encodeReadingRows(batch)]).catch((e) => e);
      expect(isUniqueViolation(again)).toBe(true);
    });
    const page = await queryReadings(pg, { deviceId: 'copy-1', limit: 1000 });
    expect(page.readings).toEqual([...batch].reverse());
    expect(page.next).toBeUndefined();
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const seen: number[] = [];
    let after;
    for (;;) {
      const page = await queryReadings(pg, { deviceId: 'copy-1', limit: 50, after });
      seen.push(...page.readings.map((r) => r.ts));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });

  it('buckets by minute with avg and last, honouring from/to', async () => {
    const points = await aggregateReadings(pg, {
      deviceId: 'copy-1',
      sensor: 'temperature',
      fn: 'last',
      bucketSeconds: 60,
      from: t0,
      to: t0 + 5 * 60_000,
    });
    expect(points.map((p) => p.ts)).toEqual([0, 1, 2, 3, 4].map((m) => t0 + m * 60_000));
    expect(points.every((p) => p.count === 2)).toBe(true);
    expect(points[0].value).toBeCloseTo(20 + 1 / 7);
  });

  it('creates partitions ahead and drops old ones by retention', async () => {
    await pg.rows(`SELECT readings_ensure_partitions(current_date - 40, current_date - 38)`);
    const names = async () =>
      (
        await pg.rows<{ relname: string }>(
          `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'readings'::regclass ORDER BY 1`,
        )
      ).map((r) => r.relname);
    expect((await names()).length).toBeGreaterThanOrEqual(12);
    const result = await maintainReadingPartitions(pg, {
      daysAhead: 10,
      retentionDays: 30,
    });
    expect(result.dropped).toBe(2);
    expect(result.created).toBeGreaterThanOrEqual(1);
    const after = await names();
    const day = (offset: number) =>
      `readings_p${new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')}`;
    expect(after).toContain(day(10));
    expect(after).not.toContain(day(-39));
    expect(after).toContain('readings_default');
  });
});
