/** PostgreSQL: unreachable, pool saturated, lock waits, slow statements, checkpoint pressure. */
import { fmt, ms, num, select, str, window, who } from './series-math';
import {
  finding,
  type Detector,
  type Finding,
  type LogLine,
  type Row,
  type Snapshot,
} from './snapshot';

const DB_ERROR =
  /ECONNREFUSED|ECONNRESET|connection terminated|terminating connection|database system is (shutting down|starting up)|timeout exceeded when trying to connect|Connection terminated|the database system is/i;

export function dbErrorLogs(s: Snapshot, sinceMs: number): LogLine[] {
  return s.logs.filter(
    (l) =>
      l.ts > s.at - sinceMs && (l.level === 'error' || l.level === 'warn') && DB_ERROR.test(l.msg),
  );
}

/** The advisor's own probes fail (two in a row, or one with the apps' readiness down too). */
export const databaseUnreachable: Detector = (s) => {
  const probes = [...(s.tables.db_probe ?? [])]
    .filter((r) => ms(r['at']) > s.at - 120_000)
    .sort((a, b) => ms(a['at']) - ms(b['at']));
  let failing = 0;
  for (let i = probes.length - 1; i >= 0 && probes[i]['ok'] === false; i--) failing++;
  if (failing === 0) return [];
  const notReady = select(s, 'iotmon_ready').filter((x) => {
    const last = x.points[x.points.length - 1];
    return last && last[0] > s.at - 30_000 && last[1] === 0;
  });
  const logs = dbErrorLogs(s, 60_000);
  if (failing < 2 && notReady.length === 0) return [];
  const failed = probes.slice(-failing);
  const since = ms(failed[0]['at']);
  const evidence: Finding['evidence'] = [
    {
      kind: 'rows',
      source: 'db_probe (SELECT 1 as the advisor role, 2-s timeout)',
      detail: `${failing} probe(s) in a row failed since ${new Date(since).toISOString()}: ${str(failed[failed.length - 1]['error'])}`,
      rows: failed.slice(-5),
    },
  ];
  for (const x of notReady)
    evidence.push({
      kind: 'metric',
      source: `iotmon_ready{job="${x.labels['job']}"}`,
      detail: `${who(x)} reports not ready (/health/ready)`,
      points: window(x.points, s.at, 300_000),
    });
  if (logs.length)
    evidence.push({
      kind: 'logs',
      source: 'app logs matching database connection errors',
      detail: `${logs.length} database error line(s) in the last minute`,
      lines: logs.slice(-5),
    });
  return [
    finding({
      detector: 'database-unreachable',
      severity: 'critical',
      subject: 'postgresql',
      title: `PostgreSQL is not answering (${Math.round((s.at - since) / 1000)} s)`,
      confidence: Math.min(
        0.99,
        0.7 +
          0.1 * Math.min(failing - 1, 1) +
          (notReady.length ? 0.1 : 0) +
          (logs.length ? 0.09 : 0),
      ),
      suggestion:
        'Check that PostgreSQL is running and reachable (DATABASE_URL); readings wait in the edge outboxes meanwhile and are re-sent once it is back.',
      evidence,
    }),
  ];
};

/** Callers wait for a pool connection in most samples of the last two minutes. */
export const dbPoolSaturated: Detector = (s) =>
  select(s, 'db_pool_connections', { state: 'waiting' }).flatMap((x) => {
    const pts = window(x.points, s.at, 120_000);
    if (pts.length < 4) return [];
    const waiting = pts.filter(([, v]) => v > 0);
    const peak = Math.max(...pts.map(([, v]) => v));
    if (waiting.length / pts.length < 0.5 || peak < 2) return [];
    const total = select(s, 'db_pool_connections', { ...x.labels, state: 'total' })[0];
    const size = total ? Math.max(...window(total.points, s.at, 120_000).map(([, v]) => v)) : NaN;
    return [
      finding({
        detector: 'db-pool-saturated',
        severity: 'warning',
        subject: who(x),
        title: `${who(x)}: callers wait for a database connection`,
        confidence: Math.min(0.95, 0.5 + waiting.length / pts.length / 2),
        suggestion: `The pool (${Number.isFinite(size) ? size : '?'} connections) is exhausted in ${Math.round((100 * waiting.length) / pts.length)} % of samples: look for slow statements or lock waits first; raise the pool size (DB_POOL_SIZE) only if PostgreSQL has headroom.`,
        evidence: [
          {
            kind: 'metric',
            source: `db_pool_connections{state="waiting",job="${x.labels['job']}"}`,
            detail: `waiting > 0 in ${waiting.length}/${pts.length} samples, peak ${peak}`,
            points: pts,
          },
        ],
      }),
    ];
  });

export const dbLockWaits: Detector = (s) => {
  const waits = (s.tables.pg_lock_waits ?? []).filter((r) => num(r['waiting_s']) >= 5);
  if (!waits.length) return [];
  const byRelation = new Map<string, Row[]>();
  for (const r of waits) {
    const k = str(r['relation']) || str(r['locktype']);
    byRelation.set(k, [...(byRelation.get(k) ?? []), r]);
  }
  return [...byRelation].map(([relation, rows]) => {
    const longest = Math.max(...rows.map((r) => num(r['waiting_s'])));
    const blockers = [...new Set(rows.map((r) => str(r['blocked_by'])).filter(Boolean))];
    return finding({
      detector: 'db-lock-waits',
      severity: longest >= 30 ? 'critical' : 'warning',
      subject: `postgresql/${relation}`,
      title: `${rows.length} session(s) wait for a lock on ${relation} (longest ${fmt(longest, 0)} s)`,
      confidence: 0.9,
      suggestion: blockers.length
        ? `Blocked by pid ${blockers.join(', ')}: end or finish that transaction (pg_terminate_backend as a last resort).`
        : 'Find the holder in pg_locks and end its transaction.',
      evidence: [
        {
          kind: 'rows',
          source: 'pg_lock_waits (pg_locks not granted, pg_blocking_pids)',
          detail: `${rows.length} waiting`,
          rows,
        },
      ],
    });
  });
};

export const dbSlowStatements: Detector = (s) => {
  const slow = (s.tables.pg_activity ?? []).filter(
    (r) =>
      (r['state'] === 'active' && num(r['running_s']) >= 10 && r['wait_event_type'] !== 'Lock') ||
      (r['state'] === 'idle in transaction' && num(r['running_s']) >= 60),
  );
  if (!slow.length) return [];
  const longest = Math.max(...slow.map((r) => num(r['running_s'])));
  return [
    finding({
      detector: 'db-slow-statements',
      severity: longest >= 60 ? 'critical' : 'warning',
      subject: 'postgresql/statements',
      title: `${slow.length} statement(s) or transaction(s) running long (longest ${fmt(longest, 0)} s)`,
      confidence: 0.85,
      suggestion:
        'EXPLAIN the statements below; an idle-in-transaction session holds locks and blocks vacuum: set idle_in_transaction_session_timeout.',
      evidence: [
        {
          kind: 'rows',
          source: 'pg_activity (pg_stat_activity, not idle)',
          detail: `${slow.length} long-running`,
          rows: slow,
        },
      ],
    }),
  ];
};

/** Most checkpoints in the window were requested (WAL filled up), not timed. */
export const dbCheckpointPressure: Detector = (s) => {
  const rows = [...(s.tables.checkpointer ?? [])]
    .filter((r) => ms(r['at']) > s.at - 600_000)
    .sort((a, b) => ms(a['at']) - ms(b['at']));
  if (rows.length < 2) return [];
  const first = rows[0];
  const last = rows[rows.length - 1];
  const requested = num(last['num_requested']) - num(first['num_requested']);
  const timed = num(last['num_timed']) - num(first['num_timed']);
  if (requested < 3 || requested / Math.max(1, requested + timed) < 0.5) return [];
  const minutes = (ms(last['at']) - ms(first['at'])) / 60_000;
  return [
    finding({
      detector: 'db-checkpoint-pressure',
      severity: 'warning',
      subject: 'postgresql/wal',
      title: `${requested} checkpoints forced by WAL volume in ${fmt(minutes, 0)} min`,
      confidence: 0.85,
      suggestion:
        'Raise max_wal_size so that checkpoints happen on checkpoint_timeout, and spread them (checkpoint_completion_target 0.9); forced checkpoints stall commits.',
      evidence: [
        {
          kind: 'rows',
          source: 'checkpointer (pg_stat_checkpointer sampled)',
          detail: `requested +${requested}, timed +${timed}`,
          rows: [first, last],
        },
      ],
    }),
  ];
};
