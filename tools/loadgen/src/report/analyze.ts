/** Statistics of a run: the report's table row, time series and latency histogram. */
import type { RunData } from './read-results';

export interface RunStats {
  key: string;
  runner: string;
  workload: string;
  distribution: string;
  profile: string;
  vus: number | undefined;
  requests: number;
  durationS: number;
  throughput: number;
  errorRate: number;
  avg: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Threshold results from the summary file: expression -> passed. */
  thresholds: Record<string, boolean>;
}

export interface SeriesPoint {
  /** Seconds since the run's first sample. */
  t: number;
  rps: number;
  errors: number;
  p50: number;
  p95: number;
}

function timeExtent(run: RunData): [number, number] {
  let first = Infinity;
  let last = -Infinity;
  for (const s of run.samples) {
    if (s.t < first) first = s.t;
    if (s.t > last) last = s.t;
  }
  return [first, last];
}

export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (!n) return 0;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function summaryThresholds(run: RunData): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [metric, m] of Object.entries(run.summary?.metrics ?? {})) {
    const t = m['thresholds'];
    if (t && typeof t === 'object') {
      // The export's boolean is true when the threshold failed.
      for (const [expr, failed] of Object.entries(t as Record<string, boolean>))
        out[`${metric}: ${expr}`] = !failed;
    }
  }
  return out;
}

export function runStats(run: RunData): RunStats {
  const base = {
    key: run.key,
    runner: run.runner,
    workload: run.workload,
    distribution: run.distribution,
    profile: run.profile,
    vus: run.vus,
    thresholds: summaryThresholds(run),
  };
  if (run.samples.length) {
    const sorted = Float64Array.from(run.samples, (s) => s.ms).sort();
    const [first, last] = timeExtent(run);
    const summaryMs = num(run.summary?.state?.testRunDurationMs);
    const durationS = summaryMs > 0 ? summaryMs / 1000 : Math.max(1, (last - first) / 1000);
    const failed = run.samples.filter((s) => s.failed).length;
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      ...base,
      requests: sorted.length,
      durationS,
      throughput: sorted.length / durationS,
      errorRate: failed / sorted.length,
      avg: sum / sorted.length,
      p50: quantile(sorted, 50),
      p95: quantile(sorted, 95),
      p99: quantile(sorted, 99),
      max: sorted[sorted.length - 1],
    };
  }
  // Summary only (k6 run without --out json): take k6's aggregates.
  const m = run.summary?.metrics ?? {};
  const dur = m['http_req_duration'] ?? m['mqtt_pub_duration'] ?? {};
  const reqs = m['http_reqs'] ?? m['mqtt_pubs'] ?? {};
  const failed = m['http_req_failed'] ?? m['mqtt_pub_failed'] ?? {};
  return {
    ...base,
    requests: num(reqs['count']),
    durationS: num(run.summary?.state?.testRunDurationMs) / 1000,
    throughput: num(reqs['rate']),
    errorRate: num(failed['value']),
    avg: num(dur['avg']),
    p50: num(dur['med']),
    p95: num(dur['p(95)']),
    p99: num(dur['p(99)']),
    max: num(dur['max']),
  };
}

/** Per-second requests, errors and latency quantiles. */
export function timeSeries(run: RunData, bucketS = 1): SeriesPoint[] {
  if (!run.samples.length) return [];
  const [first] = timeExtent(run);
  const buckets = new Map<number, { ms: number[]; errors: number }>();
  for (const s of run.samples) {
    const b = Math.floor((s.t - first) / 1000 / bucketS);
    const bucket = buckets.get(b) ?? { ms: [], errors: 0 };
    bucket.ms.push(s.ms);
    if (s.failed) bucket.errors++;
    buckets.set(b, bucket);
  }
  let last = 0;
  for (const b of buckets.keys()) last = Math.max(last, b);
  const out: SeriesPoint[] = [];
  for (let b = 0; b <= last; b++) {
    const bucket = buckets.get(b) ?? { ms: [], errors: 0 };
    const sorted = Float64Array.from(bucket.ms).sort();
    out.push({
      t: (b + 1) * bucketS,
      rps: bucket.ms.length / bucketS,
      errors: bucket.errors / bucketS,
      p50: quantile(sorted, 50),
      p95: quantile(sorted, 95),
    });
  }
  return out;
}

export interface HistogramBin {
  lo: number;
  hi: number;
  /** Share of the run's requests in this bin (0..1). */
  share: number;
}

/** Log-spaced latency bins shared by all runs of one chart, so shapes compare. */
export function logBins(runs: readonly RunData[], count = 30): number[] {
  let min = Infinity;
  let max = 0;
  for (const r of runs) {
    for (const s of r.samples) {
      if (s.ms > 0 && s.ms < min) min = s.ms;
      if (s.ms > max) max = s.ms;
    }
  }
  if (!(max > 0)) return [];
  const lo = Math.max(0.01, min);
  const hi = Math.max(lo * 1.01, max);
  const step = Math.log(hi / lo) / count;
  return Array.from({ length: count + 1 }, (_, i) => lo * Math.exp(step * i));
}

export function histogram(run: RunData, edges: readonly number[]): HistogramBin[] {
  if (edges.length < 2) return [];
  const counts = new Array<number>(edges.length - 1).fill(0);
  const logLo = Math.log(edges[0]);
  const step = (Math.log(edges[edges.length - 1]) - logLo) / (edges.length - 1);
  for (const s of run.samples) {
    const i = Math.min(
      counts.length - 1,
      Math.max(0, Math.floor((Math.log(Math.max(s.ms, edges[0])) - logLo) / step)),
    );
    counts[i]++;
  }
  const n = run.samples.length || 1;
  return counts.map((c, i) => ({ lo: edges[i], hi: edges[i + 1], share: c / n }));
}
