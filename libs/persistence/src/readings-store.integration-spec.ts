import { createTestDatabase, type TestDatabase } from '@iotmon/testing';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { PgConnections } from './pg-connections';
import { insertReadings, latestReadings } from './readings-store';

describe('readings store on real PostgreSQL', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let pg: PgConnections;
  const t0 = Date.UTC(2026, 10, 1);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource(db.url).initialize();
    pg = new PgConnections(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('stores a batch once even when it is sent twice, and returns newest first', async () => {
    const batch = [0, 1, 2].map((i) => ({
      deviceId: 'd1',
      sensor: 'humidity' as const,
      value: 40 + i,
      ts: t0 + i * 1000,
      seq: i,
    }));
    expect(await insertReadings(pg, batch)).toBe(3);
    expect(await insertReadings(pg, batch)).toBe(0);
    const latest = await latestReadings(pg, { deviceId: 'd1', limit: 2 });
    expect(latest).toEqual([batch[2], batch[1]]);
  });

  it('filters by sensor and keeps the late flag', async () => {
    await insertReadings(pg, [{ deviceId: 'd2', sensor: 'light', value: 5, ts: t0, late: true }]);
    expect(await latestReadings(pg, { deviceId: 'd2', sensor: 'light', limit: 10 })).toEqual([
      { deviceId: 'd2', sensor: 'light', value: 5, ts: t0, late: true },
    ]);
    expect(await latestReadings(pg, { deviceId: 'd2', sensor: 'humidity', limit: 10 })).toEqual([]);
  });
});
