/**
 * Builds constructed scenario snapshots: a healthy two-replica fleet sampled every 5 s for
 * 10 minutes (seeded noise, so the fixtures are reproducible), onto which a scenario applies
 * its fault. Used only by construct-scenarios.ts to write the JSON fixtures.
 */
import type { LogLine, Row, Series, Snapshot } from '../src/detectors';

export const AT = Date.parse('2026-12-01T10:00:00Z');
export const STEP = 5_000;
const SPAN = 600_000;

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const times = (span = SPAN, step = STEP, at = AT): number[] => {
  const out = [];
  for (let t = at - span + step; t <= at; t += step) out.push(t);
  return out;
};

/** A counter whose per-second rate at time t is `rateAt(t)`, with ±jitter. */
export function counter(
  metric: string,
  labels: Record<string, string>,
  rateAt: (t: number) => number,
  rand: () => number,
  jitter = 0.1,
): Series {
  let v = 1000 + Math.floor(rand() * 1000);
  const points: [number, number][] = times().map((t) => {
    v += Math.max(0, rateAt(t) * (STEP / 1000) * (1 + jitter * (rand() * 2 - 1)));
    return [t, Math.round(v * 1000) / 1000];
  });
  return { metric, labels, points };
}

export function gauge(
  metric: string,
  labels: Record<string, string>,
  at: (t: number) => number,
): Series {
  return { metric, labels, points: times().map((t) => [t, Math.round(at(t) * 1000) / 1000]) };
}

export const iso = (t: number) => new Date(t).toISOString();

export interface FleetOptions {
  seed?: number;
  apiReplicas?: number;
  /** Readings per second per api replica. */
  ingestRate?: number;
  cpu?: number;
  devices?: number;
}

export function healthyFleet(o: FleetOptions = {}): Snapshot {
  const rand = rng(o.seed ?? 1);
  const replicas = o.apiReplicas ?? 2;
  const ingest = o.ingestRate ?? 50;
  const series: Series[] = [];
  for (let i = 0; i < replicas; i++) {
    const l = { job: 'api', instance: `api-${i}` };
    series.push(gauge('up', l, () => 1));
    series.push(gauge('iotmon_ready', l, () => 1));
    series.push(counter('readings_ingested_total', { ...l, source: 'mqtt' }, () => ingest, rand));
    series.push(
      counter('mqtt_messages_consumed_total', { ...l, kind: 'raw' }, () => ingest / 4, rand),
    );
    series.push(counter('readings_commit_seconds_sum', { ...l, method: 'copy' }, () => 0.04, rand));
    series.push(counter('readings_commit_seconds_count', { ...l, method: 'copy' }, () => 10, rand));
    series.push(counter('process_cpu_seconds_total', l, () => o.cpu ?? 0.2, rand));
    series.push(gauge('db_pool_connections', { ...l, state: 'waiting' }, () => 0));
    series.push(gauge('db_pool_connections', { ...l, state: 'total' }, () => 4));
  }
  const al = { job: 'alerting', instance: 'alerting-0' };
  series.push(
    gauge('up', al, () => 1),
    gauge('iotmon_ready', al, () => 1),
  );
  series.push(counter('process_cpu_seconds_total', al, () => 0.1, rand));
  series.push(counter('alerting_notification_failures_total', al, () => 0, rand));
  const ed = { job: 'edge', instance: 'edge-1' };
  series.push(gauge('up', ed, () => 1));
  series.push(gauge('edge_outbox_depth', ed, () => Math.floor(rand() * 6)));
  series.push(counter('process_cpu_seconds_total', ed, () => 0.05, rand));

  const db_probe: Row[] = times(120_000).map((t) => ({
    at: iso(t),
    ok: true,
    latency_ms: 1 + Math.round(rand() * 3),
    error: null,
  }));
  const nDevices = o.devices ?? 20;
  const devices: Row[] = [];
  const reading_stats: Row[] = [];
  for (let d = 0; d < nDevices; d++) {
    const id = `dev-${String(d).padStart(3, '0')}`;
    devices.push({
      id,
      presence: 'online',
      last_seen_at: iso(AT - Math.floor(rand() * 8000)),
      median_interval_s: 5,
    });
    const hist = 21 + rand() * 2;
    reading_stats.push({
      device_id: id,
      sensor: 'temperature',
      hist_mean: hist,
      hist_std: 1.2,
      hist_n: 17280,
      recent_mean: hist + (rand() - 0.5),
      recent_n: 120,
    });
  }
  const DAY = 86_400_000;
  const today = Math.floor(AT / DAY) * DAY;
  const partitions: Row[] = [];
  for (let k = 7; k >= 0; k--)
    partitions.push({
      name: `readings_p${iso(today - k * DAY)
        .slice(0, 10)
        .replace(/-/g, '')}`,
      day: iso(today - k * DAY).slice(0, 10),
      bytes: k === 0 ? 90e6 : 210e6 + Math.floor(rand() * 20e6),
    });
  const alarm_history: Row[] = [];
  for (let k = 0; k < 4; k++) {
    const dev = `dev-00${k}`;
    alarm_history.push({
      alarm_id: 100 + k,
      device_id: dev,
      sensor: 'temperature',
      rule_id: 'temp-high',
      change: 'raised',
      severity: 'warning',
      value: 31,
      at: iso(AT - 700_000 + k * 60_000),
    });
    alarm_history.push({
      alarm_id: 100 + k,
      device_id: dev,
      sensor: 'temperature',
      rule_id: 'temp-high',
      change: 'cleared',
      severity: 'warning',
      value: 28,
      at: iso(AT - 400_000 + k * 60_000),
    });
  }
  const checkpointer: Row[] = times(600_000, 60_000).map((t, i) => ({
    at: iso(t),
    num_timed: 40 + Math.floor(i / 5),
    num_requested: 2,
    buffers_written: 5000 + i * 100,
  }));
  const logs: LogLine[] = times(120_000, 20_000).map((t) => ({
    ts: t,
    app: 'api',
    level: 'info',
    msg: 'partition maintenance: 0 created, 0 dropped',
  }));
  return {
    at: AT,
    series,
    logs,
    tables: {
      db_probe,
      pg_activity: [
        {
          pid: 101,
          state: 'idle',
          wait_event_type: 'Client',
          wait_event: 'ClientRead',
          running_s: 120,
          query: 'COPY readings FROM STDIN BINARY',
        },
        {
          pid: 102,
          state: 'active',
          wait_event_type: null,
          wait_event: null,
          running_s: 0.01,
          query: 'SELECT … FROM alarms',
        },
      ],
      pg_lock_waits: [],
      checkpointer,
      partitions,
      retention: [{ retention_days: 30, db_bytes: 1.7e9, disk_budget_bytes: 50e9 }],
      alarm_history,
      rules: [{ rule_id: 'temp-high', sensor: 'temperature', op: '>', value: 30 }],
      flap_readings: [],
      devices,
      reading_stats,
      webhook_targets: [
        {
          subscription_id: 1,
          url: 'https://hooks.example.org/iot',
          attempts: 20,
          failures: 0,
          dead: 0,
          last_error: null,
        },
      ],
      certificates: [
        {
          target: 'mqtt.example.org:8883',
          not_after: iso(AT + 90 * DAY),
          subject: 'CN=mqtt.example.org',
        },
      ],
    },
  };
}

/** Replaces the points of matching series from time `from` on. */
export function override(
  s: Snapshot,
  metric: string,
  match: Record<string, string>,
  from: number,
  f: (t: number, v: number, prev: number) => number,
): void {
  for (const x of s.series) {
    if (x.metric !== metric || !Object.entries(match).every(([k, v]) => x.labels[k] === v))
      continue;
    let prev = x.points[0][1];
    x.points = x.points.map(([t, v]) => {
      const nv = t >= from ? f(t, v, prev) : v;
      prev = nv;
      return [t, nv];
    });
  }
}

/** Freezes a counter from `from` on (no increase). */
export function freeze(
  s: Snapshot,
  metric: string,
  match: Record<string, string>,
  from: number,
): void {
  for (const x of s.series) {
    if (x.metric !== metric || !Object.entries(match).every(([k, v]) => x.labels[k] === v))
      continue;
    let held: number | undefined;
    x.points = x.points.map(([t, v]) => {
      if (t < from) return [t, v];
      held ??= v;
      return [t, held];
    });
  }
}

/** Drops the points of matching series from `from` on (a process that is gone is not scraped). */
export function cut(
  s: Snapshot,
  metric: string | undefined,
  match: Record<string, string>,
  from: number,
): void {
  for (const x of s.series)
    if (
      (!metric || x.metric === metric) &&
      Object.entries(match).every(([k, v]) => x.labels[k] === v)
    )
      x.points = x.points.filter(([t]) => t < from);
}
