/**
 * Saved baselines and regression checks. A run is matched to the baseline by runner,
 * workload, distribution and VU count, so a shortened smoke still compares with a full one.
 */
import type { RunStats } from './analyze';

export interface BaselineRow {
  id: string;
  throughput: number;
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface Baseline {
  version: 1;
  createdAt: string;
  rows: BaselineRow[];
}

export interface Tolerances {
  /** Latency may grow by this fraction ... */
  latency: number;
  /** ... and by at least this many ms, before it counts (tiny latencies jitter a lot). */
  latencyAbsMs: number;
  /** Throughput may drop by this fraction. */
  throughput: number;
  /** Error rate may rise by this much (0.01 = one percentage point). */
  errorRate: number;
}

export const DEFAULT_TOLERANCES: Tolerances = {
  latency: 0.25,
  latencyAbsMs: 5,
  throughput: 0.15,
  errorRate: 0.01,
};

export interface Comparison {
  id: string;
  metric: 'throughput' | 'errorRate' | 'p95' | 'p99';
  baseline: number;
  current: number;
  /** Relative change (current / baseline - 1); Infinity when the baseline is 0. */
  change: number;
  regression: boolean;
}

export function baselineId(
  s: Pick<RunStats, 'runner' | 'workload' | 'distribution' | 'vus'>,
): string {
  return `${s.runner}:${s.workload}:${s.distribution}:${s.vus ?? '?'}vu`;
}

export function toBaseline(stats: readonly RunStats[], now = new Date()): Baseline {
  return {
    version: 1,
    createdAt: now.toISOString(),
    rows: stats.map((s) => ({
      id: baselineId(s),
      throughput: s.throughput,
      errorRate: s.errorRate,
      p50: s.p50,
      p95: s.p95,
      p99: s.p99,
    })),
  };
}

export function parseBaseline(text: string): Baseline {
  const b = JSON.parse(text) as Partial<Baseline>;
  if (b.version !== 1 || !Array.isArray(b.rows))
    throw new Error('not a loadgen baseline (version 1)');
  return b as Baseline;
}

const rel = (cur: number, base: number) =>
  base === 0 ? (cur === 0 ? 0 : Infinity) : cur / base - 1;

export function compare(
  stats: readonly RunStats[],
  baseline: Baseline,
  tol: Tolerances = DEFAULT_TOLERANCES,
): Comparison[] {
  const byId = new Map(baseline.rows.map((r) => [r.id, r]));
  const out: Comparison[] = [];
  for (const s of stats) {
    const id = baselineId(s);
    const b = byId.get(id);
    if (!b) continue;
    for (const metric of ['p95', 'p99'] as const) {
      out.push({
        id,
        metric,
        baseline: b[metric],
        current: s[metric],
        change: rel(s[metric], b[metric]),
        regression:
          s[metric] > b[metric] * (1 + tol.latency) && s[metric] - b[metric] > tol.latencyAbsMs,
      });
    }
    out.push({
      id,
      metric: 'throughput',
      baseline: b.throughput,
      current: s.throughput,
      change: rel(s.throughput, b.throughput),
      regression: s.throughput < b.throughput * (1 - tol.throughput),
    });
    out.push({
      id,
      metric: 'errorRate',
      baseline: b.errorRate,
      current: s.errorRate,
      change: rel(s.errorRate, b.errorRate),
      regression: s.errorRate - b.errorRate > tol.errorRate,
    });
  }
  return out;
}
