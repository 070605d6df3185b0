import { LiveStore } from '../public/live-store.js';

const reading = (deviceId: string, sensor: string, ts: number, seq = ts) => ({
  deviceId,
  sensor,
  value: 20,
  ts,
  seq,
});

describe('LiveStore', () => {
  it('keeps one window per (device, sensor) and the newest time per device', () => {
    const s = new LiveStore({ windowSize: 10 });
    s.ingest(reading('a', 'temperature', 1000));
    s.ingest(reading('a', 'humidity', 3000));
    s.ingest(reading('b', 'temperature', 2000));
    expect(s.sensorsOf('a')).toEqual(['humidity', 'temperature']);
    expect(s.lastSeen.get('a')).toBe(3000);
    expect(s.window('b', 'temperature').size).toBe(1);
  });

  it('reports duplicates as not new', () => {
    const s = new LiveStore();
    expect(s.ingest(reading('a', 'temperature', 1000))).not.toBeNull();
    expect(s.ingest(reading('a', 'temperature', 1000))).toBeNull();
  });

  it('stays bounded: 20 devices x 4 sensors at 1 Hz for an hour hold 80 windows of 50 points', () => {
    const s = new LiveStore({ windowSize: 50 });
    const sensors = ['temperature', 'humidity', 'light', 'air_quality'];
    for (let t = 0; t < 3600; t++) {
      for (let d = 0; d < 20; d++) {
        for (const sensor of sensors) s.ingest(reading(`dev-${d}`, sensor, t * 1000));
      }
    }
    let points = 0;
    for (const w of s.series.values()) points += w.size;
    expect(s.series.size).toBe(80);
    expect(points).toBe(80 * 50);
    expect(s.lastSeen.size).toBe(20);
  });

  it('drops the least recently updated series past maxSeries', () => {
    const s = new LiveStore({ windowSize: 5, maxSeries: 3, maxDevices: 2 });
    for (const d of ['a', 'b', 'c']) s.ingest(reading(d, 'temperature', 1));
    s.ingest(reading('a', 'temperature', 2));
    s.ingest(reading('d', 'temperature', 3));
    expect([...s.series.keys()].map((k) => k.split('\u0000')[0]).sort()).toEqual(['a', 'c', 'd']);
    expect([...s.lastSeen.keys()].sort()).toEqual(['a', 'd']);
  });

  it('starts a backfill at the oldest newest-reading, capped by the span', () => {
    const s = new LiveStore();
    expect(s.backfillFrom(10_000, 5_000)).toBeNull();
    s.ingest(reading('a', 'temperature', 8000));
    s.ingest(reading('a', 'humidity', 9000));
    expect(s.backfillFrom(10_000, 5_000)).toBe(8000);
    expect(s.backfillFrom(20_000, 5_000)).toBe(15_000);
  });

  it('resizes every window', () => {
    const s = new LiveStore({ windowSize: 10 });
    for (let t = 1; t <= 10; t++) s.ingest(reading('a', 'temperature', t));
    s.resize(4);
    expect(s.window('a', 'temperature').size).toBe(4);
    s.ingest(reading('b', 'light', 1));
    expect(s.window('b', 'light').capacity).toBe(4);
  });
});
