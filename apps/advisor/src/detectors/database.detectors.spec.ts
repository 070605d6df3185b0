import { databaseUnreachable } from './database.detectors';
import type { Snapshot } from './snapshot';

const at = Date.parse('2026-12-01T10:00:00Z');
const probe = (ago: number, ok: boolean) => ({
  at: new Date(at - ago).toISOString(),
  ok,
  latency_ms: 1,
  error: ok ? null : 'connect ECONNREFUSED 127.0.0.1:5433',
});
const snap = (probes: ReturnType<typeof probe>[]): Snapshot => ({
  at,
  series: [],
  logs: [],
  tables: { db_probe: probes },
});

describe('database-unreachable', () => {
  it('needs two failed probes in a row when nothing else agrees', () => {
    expect(
      databaseUnreachable(snap([probe(10_000, true), probe(5_000, true), probe(0, false)])),
    ).toEqual([]);
    const [f] = databaseUnreachable(
      snap([probe(10_000, true), probe(5_000, false), probe(0, false)]),
    );
    expect(f).toMatchObject({
      detector: 'database-unreachable',
      severity: 'critical',
      subject: 'postgresql',
    });
    expect(f.evidence[0].detail).toContain('ECONNREFUSED');
  });

  it('is quiet once a probe succeeds again', () => {
    expect(
      databaseUnreachable(snap([probe(10_000, false), probe(5_000, false), probe(0, true)])),
    ).toEqual([]);
  });
});
