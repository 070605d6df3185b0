/**
 * Writes the constructed scenarios (origin "constructed") into eval/scenarios: faults the
 * recorder cannot induce on one machine (lock waits, WAL pressure, a month of partitions,
 * certificates, CPU-bound replicas …) and healthy variants. Recorded ones come from
 * record-scenarios.ts. `node tools/run-ts.mjs apps/advisor/eval/construct-scenarios.ts`
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from '../src/detectors';
import {
  AT,
  STEP,
  cut,
  freeze,
  gauge,
  healthyFleet,
  iso,
  override,
  rng,
  times,
} from './fleet-builder';
import { scenariosDir, type Scenario } from './scenario';

type Def = Omit<Scenario, 'origin' | 'snapshot'> & { build: () => Scenario['snapshot'] };
const DAY = 86_400_000;
const since = (ms: number) => AT - ms;

const defs: Def[] = [
  {
    name: 'healthy-steady',
    description: 'Two api replicas, 20 devices, nothing wrong.',
    fault: 'none',
    expect: [],
    build: () => healthyFleet(),
  },
  {
    name: 'healthy-busy',
    description: 'Evening peak: 4x the load, CPU at 60 %, still balanced.',
    fault: 'none',
    expect: [],
    build: () => healthyFleet({ seed: 7, ingestRate: 200, cpu: 0.6, apiReplicas: 3 }),
  },
  {
    name: 'healthy-restart-blip',
    description: 'api-0 restarted 3 min ago: its counters reset and one scrape failed.',
    fault: 'none',
    expect: [],
    build: () => {
      const s = healthyFleet({ seed: 3 });
      override(
        s,
        'readings_ingested_total',
        { instance: 'api-0' },
        since(180_000),
        (t) => ((t - since(180_000)) / 1000) * 50 + 1,
      );
      override(s, 'up', { instance: 'api-0' }, since(185_000), (t) => (t < since(175_000) ? 0 : 1));
      return s;
    },
  },
  {
    name: 'healthy-retention-off-young',
    description: 'RETENTION_DAYS=0 (keep everything) on a 5-day-old install with room to spare.',
    fault: 'none',
    expect: [],
    build: () => {
      const s = healthyFleet({ seed: 4 });
      s.tables.retention = [{ retention_days: 0, db_bytes: 1.1e9, disk_budget_bytes: 100e9 }];
      s.tables.partitions = s.tables.partitions!.slice(-5);
      return s;
    },
  },
  {
    name: 'healthy-noisy-within-limits',
    description:
      'A noisy sensor well below its limit, one webhook failure in 20, a short statement.',
    fault: 'none',
    expect: [],
    build: () => {
      const s = healthyFleet({ seed: 5 });
      s.tables.webhook_targets = [
        {
          subscription_id: 1,
          url: 'https://hooks.example.org/iot',
          attempts: 20,
          failures: 1,
          dead: 0,
          last_error: 'HTTP 502',
        },
      ];
      s.tables.pg_activity!.push({
        pid: 130,
        state: 'active',
        wait_event_type: 'IO',
        wait_event: 'DataFileRead',
        running_s: 2.5,
        query: 'SELECT date_bin(…) FROM readings',
      });
      s.tables.reading_stats![3] = {
        ...s.tables.reading_stats![3],
        hist_std: 4,
        recent_mean: Number(s.tables.reading_stats![3]['hist_mean']) + 6,
      };
      return s;
    },
  },
  {
    name: 'pg-stopped',
    description:
      'PostgreSQL stopped 25 s ago: probes refused, api not ready, ingest stops, outbox grows.',
    fault: 'stop PostgreSQL',
    expect: [
      {
        detector: 'database-unreachable',
        subject: 'postgresql',
        evidence: ['db_probe', 'ECONNREFUSED'],
      },
    ],
    allow: ['ingest-stalled', 'backlog-growing', 'ingest-write-failures'],
    question: 'Why did ingestion stop?',
    build: () => {
      const s = healthyFleet({ seed: 6 });
      const t0 = since(25_000);
      s.tables.db_probe = s.tables.db_probe!.map((r) =>
        Date.parse(String(r['at'])) >= t0
          ? { ...r, ok: false, latency_ms: 1, error: 'connect ECONNREFUSED 127.0.0.1:5433' }
          : r,
      );
      override(s, 'iotmon_ready', { job: 'api' }, t0, () => 0);
      freeze(s, 'readings_ingested_total', {}, t0);
      s.logs.push(
        ...times(25_000, 2_500).map((t) => ({
          ts: t,
          app: 'api',
          level: 'error' as const,
          msg: 'readings batch failed, retrying: connect ECONNREFUSED 127.0.0.1:5433',
        })),
      );
      return s;
    },
  },
  {
    name: 'pg-slow-disk',
    description:
      'PostgreSQL paused intermittently (slow disk): commits take 160 ms, 40x their 4-ms baseline.',
    fault: 'pause PostgreSQL (SIGSTOP/SIGCONT) 300 ms of every 400 ms',
    expect: [{ detector: 'ingest-lag-rising', evidence: ['readings_commit_seconds'] }],
    allow: ['db-pool-saturated', 'backlog-growing'],
    question: 'Why is ingest lag rising?',
    build: () => {
      const s = healthyFleet({ seed: 8 });
      override(
        s,
        'readings_commit_seconds_sum',
        {},
        since(60_000),
        (_t, _v, prev) => prev + 1.6 * (STEP / 1000),
      );
      override(
        s,
        'readings_commit_seconds_count',
        {},
        since(60_000),
        (_t, _v, prev) => prev + 10 * (STEP / 1000),
      );
      return s;
    },
  },
  {
    name: 'api-replica-killed',
    description: 'api-1 killed 90 s ago: not scraped any more, api-0 takes over.',
    fault: 'kill one api replica',
    expect: [{ detector: 'consumer-down', subject: 'api/api-1' }],
    allow: ['replica-imbalance'],
    build: () => {
      const s = healthyFleet({ seed: 9 });
      cut(s, undefined, { instance: 'api-1' }, since(90_000));
      s.series.push({
        ...gauge('up', { job: 'api', instance: 'api-1' }, (t) => (t >= since(90_000) ? 0 : 1)),
      });
      s.series = s.series.filter(
        (x, i, all) =>
          !(
            x.metric === 'up' &&
            x.labels['instance'] === 'api-1' &&
            all.findIndex((y) => y.metric === 'up' && y.labels['instance'] === 'api-1') === i
          ),
      );
      override(
        s,
        'readings_ingested_total',
        { instance: 'api-0' },
        since(90_000),
        (_t, _v, prev) => prev + 100 * (STEP / 1000),
      );
      return s;
    },
  },
  {
    name: 'all-consumers-down',
    description: 'Every api replica gone: nothing ingests, the edge outbox grows.',
    fault: 'kill every api replica',
    expect: [
      { detector: 'consumer-down', subject: 'api/api-0' },
      { detector: 'consumer-down', subject: 'api/api-1' },
      { detector: 'backlog-growing', subject: 'edge' },
    ],
    allow: ['ingest-stalled'],
    build: () => {
      const s = healthyFleet({ seed: 10 });
      const t0 = since(60_000);
      cut(s, undefined, { job: 'api' }, t0);
      s.series = s.series.filter((x) => !(x.metric === 'up' && x.labels['job'] === 'api'));
      s.series.push(
        gauge('up', { job: 'api', instance: 'api-0' }, (t) => (t >= t0 ? 0 : 1)),
        gauge('up', { job: 'api', instance: 'api-1' }, (t) => (t >= t0 ? 0 : 1)),
      );
      override(s, 'edge_outbox_depth', {}, t0, (t) => ((t - t0) / 1000) * 12);
      return s;
    },
  },
  {
    name: 'one-hot-replica',
    description: 'api-0 has no shared subscription: it takes 85 % of the raw stream.',
    fault: 'one replica without MQTT_SHARED_GROUP',
    expect: [
      {
        detector: 'replica-imbalance',
        subject: 'api/api-0',
        evidence: ['readings_ingested_total'],
      },
    ],
    build: () => {
      const s = healthyFleet({ seed: 11 });
      override(
        s,
        'readings_ingested_total',
        { instance: 'api-0' },
        since(600_000),
        (_t, _v, prev) => prev + 85 * (STEP / 1000),
      );
      override(
        s,
        'readings_ingested_total',
        { instance: 'api-1' },
        since(600_000),
        (_t, _v, prev) => prev + 15 * (STEP / 1000),
      );
      return s;
    },
  },
  {
    name: 'replicas-cpu-bound',
    description: 'Both api replicas at 95 % of a core: the HPA is at its maximum.',
    fault: 'load beyond the replicas (HPA maxed)',
    expect: [
      { detector: 'replicas-cpu-bound', subject: 'api', evidence: ['process_cpu_seconds_total'] },
    ],
    build: () => healthyFleet({ seed: 12, cpu: 0.95, ingestRate: 400 }),
  },
  {
    name: 'db-pool-saturated',
    description: 'api-0 callers wait for pool connections for 2 minutes.',
    fault: 'pool too small for the load',
    expect: [{ detector: 'db-pool-saturated', subject: 'api/api-0' }],
    build: () => {
      const s = healthyFleet({ seed: 13 });
      const r = rng(99);
      override(
        s,
        'db_pool_connections',
        { instance: 'api-0', state: 'waiting' },
        since(120_000),
        () => 2 + Math.floor(r() * 6),
      );
      return s;
    },
  },
  {
    name: 'db-lock-waits',
    description: 'A migration holds ACCESS EXCLUSIVE on alarms; writers queue behind it.',
    fault: 'a long transaction holding a lock',
    expect: [{ detector: 'db-lock-waits', subject: 'alarms', evidence: ['pg_lock'] }],
    allow: ['db-slow-statements'],
    build: () => {
      const s = healthyFleet({ seed: 14 });
      s.tables.pg_lock_waits = [
        {
          pid: 201,
          locktype: 'relation',
          relation: 'alarms',
          mode: 'RowExclusiveLock',
          waiting_s: 42,
          blocked_by: '199',
        },
        {
          pid: 202,
          locktype: 'relation',
          relation: 'alarms',
          mode: 'RowExclusiveLock',
          waiting_s: 38,
          blocked_by: '199',
        },
      ];
      s.tables.pg_activity!.push({
        pid: 199,
        state: 'idle in transaction',
        wait_event_type: 'Client',
        wait_event: 'ClientRead',
        running_s: 45,
        query: 'ALTER TABLE alarms ADD COLUMN note text',
      });
      return s;
    },
  },
  {
    name: 'db-slow-statements',
    description: 'An unindexed report query has run for 95 s.',
    fault: 'a slow statement',
    expect: [{ detector: 'db-slow-statements', evidence: ['pg_activity'] }],
    build: () => {
      const s = healthyFleet({ seed: 15 });
      s.tables.pg_activity!.push({
        pid: 301,
        state: 'active',
        wait_event_type: 'IO',
        wait_event: 'DataFileRead',
        running_s: 95,
        query: "SELECT * FROM readings WHERE value > 40 AND sensor = 'humidity'",
      });
      return s;
    },
  },
  {
    name: 'db-checkpoint-pressure',
    description: 'A back-fill writes WAL faster than max_wal_size: 8 forced checkpoints in 10 min.',
    fault: 'WAL volume beyond max_wal_size',
    expect: [{ detector: 'db-checkpoint-pressure', evidence: ['checkpointer'] }],
    build: () => {
      const s = healthyFleet({ seed: 16 });
      s.tables.checkpointer = s.tables.checkpointer!.map((r, i) => ({
        ...r,
        num_requested: 2 + i,
      }));
      return s;
    },
  },
  {
    name: 'retention-off-growing',
    description: 'RETENTION_DAYS=0 with 3 GB/day on a 100 GB budget that is 92 GB full.',
    fault: 'retention off and tables growing',
    expect: [{ detector: 'disk-growth-beyond-retention', evidence: ['retention_days'] }],
    build: () => {
      const s = healthyFleet({ seed: 17 });
      s.tables.retention = [{ retention_days: 0, db_bytes: 92e9, disk_budget_bytes: 100e9 }];
      s.tables.partitions = s.tables.partitions!.map((r) => ({
        ...r,
        bytes: Number(r['bytes']) * 15,
      }));
      return s;
    },
  },
  {
    name: 'partitions-not-dropped',
    description:
      'Retention 3 days, but partitions of 7 days ago are still there (maintenance not running).',
    fault: 'partition maintenance stopped',
    expect: [{ detector: 'disk-growth-beyond-retention', evidence: ['partitions'] }],
    build: () => {
      const s = healthyFleet({ seed: 18 });
      s.tables.retention = [{ retention_days: 3, db_bytes: 1.7e9, disk_budget_bytes: 50e9 }];
      return s;
    },
  },
  {
    name: 'alarm-storm',
    description: 'A site power dip: 60 devices raise temp-high within 3 minutes.',
    fault: 'a shared cause raising many alarms',
    expect: [{ detector: 'alarm-storm', evidence: ['temp-high'] }],
    allow: ['flapping-rule'],
    build: () => {
      const s = healthyFleet({ seed: 19, devices: 60 });
      for (let d = 0; d < 60; d++)
        s.tables.alarm_history!.push({
          alarm_id: 500 + d,
          device_id: `dev-${String(d).padStart(3, '0')}`,
          sensor: 'temperature',
          rule_id: 'temp-high',
          change: 'raised',
          severity: 'warning',
          value: 33,
          at: iso(AT - 180_000 + d * 3000),
        });
      return s;
    },
  },
  {
    name: 'flapping-sensor',
    description:
      'dev-007 temperature hovers at 30 ± 0.4 with a plain threshold > 30: it raises and clears every few minutes.',
    fault: 'a flapping sensor',
    expect: [
      {
        detector: 'flapping-rule',
        subject: 'dev-007/temperature/temp-high',
        evidence: ['flap_readings'],
      },
    ],
    question: 'Why does dev-007 keep raising alarms?',
    build: () => {
      const s = healthyFleet({ seed: 20 });
      const r = rng(7);
      const readings: Row[] = [];
      let active = false;
      for (let t = AT - 900_000; t <= AT; t += 10_000) {
        const v = 30 + 0.4 * Math.sin((t - AT) / 40_000) + (r() - 0.5) * 0.3;
        readings.push({
          device_id: 'dev-007',
          sensor: 'temperature',
          ts: iso(t),
          value: Math.round(v * 100) / 100,
        });
        if (!active && v > 30) {
          active = true;
          s.tables.alarm_history!.push({
            alarm_id: 900,
            device_id: 'dev-007',
            sensor: 'temperature',
            rule_id: 'temp-high',
            change: 'raised',
            severity: 'warning',
            value: v,
            at: iso(t),
          });
        } else if (active && v <= 30) {
          active = false;
          s.tables.alarm_history!.push({
            alarm_id: 900,
            device_id: 'dev-007',
            sensor: 'temperature',
            rule_id: 'temp-high',
            change: 'cleared',
            severity: 'warning',
            value: v,
            at: iso(t),
          });
        }
      }
      s.tables.flap_readings = readings;
      return s;
    },
  },
  {
    name: 'device-silent',
    description: 'dev-004 stopped sending 6 minutes ago and is still marked online.',
    fault: 'a device gone silent',
    expect: [{ detector: 'device-silent', subject: 'dev-004', evidence: ['last_seen_at'] }],
    build: () => {
      const s = healthyFleet({ seed: 21 });
      s.tables.devices![4] = { ...s.tables.devices![4], last_seen_at: iso(AT - 360_000) };
      return s;
    },
  },
  {
    name: 'device-offline',
    description: 'dev-011 lost power: its last will marked it offline 3 minutes ago.',
    fault: 'a device gone (last will)',
    expect: [{ detector: 'device-silent', subject: 'dev-011' }],
    build: () => {
      const s = healthyFleet({ seed: 22 });
      s.tables.devices![11] = {
        ...s.tables.devices![11],
        presence: 'offline',
        last_seen_at: iso(AT - 180_000),
      };
      return s;
    },
  },
  {
    name: 'device-drift',
    description: 'dev-015 humidity reads 9 σ above its own 24 h without a rule firing.',
    fault: 'a drifting sensor',
    expect: [{ detector: 'device-drift', subject: 'dev-015', evidence: ['reading_stats'] }],
    build: () => {
      const s = healthyFleet({ seed: 23 });
      s.tables.reading_stats!.push({
        device_id: 'dev-015',
        sensor: 'humidity',
        hist_mean: 45,
        hist_std: 2,
        hist_n: 17000,
        recent_mean: 63,
        recent_n: 120,
      });
      return s;
    },
  },
  {
    name: 'webhook-failing',
    description: 'The on-call webhook answers 503 to every attempt; 4 deliveries dead-lettered.',
    fault: 'a failing webhook target',
    expect: [{ detector: 'webhook-failing', subject: 'webhook/2', evidence: ['webhook_attempts'] }],
    build: () => {
      const s = healthyFleet({ seed: 24 });
      s.tables.webhook_targets!.push({
        subscription_id: 2,
        url: 'https://oncall.example.org/hook',
        attempts: 24,
        failures: 24,
        dead: 4,
        last_error: 'HTTP 503',
      });
      return s;
    },
  },
  {
    name: 'certificate-expiring',
    description: 'The broker certificate expires in 5 days.',
    fault: 'certificate near expiry',
    expect: [{ detector: 'certificate-expiry', subject: 'mqtt.example.org' }],
    build: () => {
      const s = healthyFleet({ seed: 25 });
      s.tables.certificates = [
        {
          target: 'mqtt.example.org:8883',
          not_after: iso(AT + 5 * DAY),
          subject: 'CN=mqtt.example.org',
        },
      ];
      return s;
    },
  },
  {
    name: 'edge-backlog-broker-link',
    description: 'edge-1 lost its broker link 2 minutes ago: its outbox grows, the rest is fine.',
    fault: 'broker link of one edge down',
    expect: [
      { detector: 'backlog-growing', subject: 'edge/edge-1', evidence: ['edge_outbox_depth'] },
    ],
    build: () => {
      const s = healthyFleet({ seed: 26 });
      override(
        s,
        'edge_outbox_depth',
        {},
        since(120_000),
        (t) => ((t - since(120_000)) / 1000) * 4,
      );
      return s;
    },
  },
  {
    name: 'ingest-write-failures',
    description: 'A partition is missing for a clock-skewed device: COPY fails every few seconds.',
    fault: 'failing reading writes',
    expect: [{ detector: 'ingest-write-failures', evidence: ['api log'] }],
    build: () => {
      const s = healthyFleet({ seed: 27 });
      s.logs.push(
        ...times(90_000, 6_000).map((t) => ({
          ts: t,
          app: 'api',
          level: 'error' as const,
          msg: 'readings COPY failed: no partition of relation "readings" found for row',
        })),
      );
      return s;
    },
  },
];

const dir = scenariosDir();
for (const [i, d] of defs.entries()) {
  const { build, ...rest } = d;
  const scenario: Scenario = { ...rest, origin: 'constructed', snapshot: build() };
  writeFileSync(
    join(dir, `c${String(i + 1).padStart(2, '0')}-${d.name}.json`),
    JSON.stringify(scenario) + '\n',
  );
}
console.log(`wrote ${defs.length} constructed scenarios to ${dir}`);
