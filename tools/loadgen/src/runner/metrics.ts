/**
 * Metric samples with k6's semantics (trend, rate, counter, gauge), kept in memory for the
 * end-of-run summary and optionally streamed as k6 `--out json` lines for the report.
 */
export type MetricType = 'trend' | 'rate' | 'counter' | 'gauge';

export type Tags = Readonly<Record<string, string>>;

export interface Sample {
  metric: string;
  /** Epoch ms. */
  time: number;
  value: number;
  tags: Tags;
}

export interface MetricSink {
  declare(metric: string, type: MetricType, contains: 'time' | 'data' | 'default'): void;
  add(sample: Sample): void;
}

interface MetricState {
  type: MetricType;
  contains: string;
  /** Every value, for trends only (percentiles need them). */
  values: number[];
  n: number;
  sum: number;
  nonZero: number;
  min: number;
  max: number;
  last: number;
}

export class MetricsRecorder implements MetricSink {
  private readonly metrics = new Map<string, MetricState>();
  private readonly sinks: MetricSink[] = [];

  /** Forwards every declaration and sample to `sink` as well (e.g. the JSON points file). */
  pipe(sink: MetricSink): this {
    this.sinks.push(sink);
    for (const [name, m] of this.metrics) sink.declare(name, m.type, m.contains as 'time');
    return this;
  }

  declare(
    metric: string,
    type: MetricType,
    contains: 'time' | 'data' | 'default' = 'default',
  ): void {
    if (this.metrics.has(metric)) return;
    this.metrics.set(metric, {
      type,
      contains,
      values: [],
      n: 0,
      sum: 0,
      nonZero: 0,
      min: Infinity,
      max: -Infinity,
      last: 0,
    });
    for (const s of this.sinks) s.declare(metric, type, contains);
  }

  add(sample: Sample): void {
    const m = this.metrics.get(sample.metric);
    if (!m) throw new Error(`metric ${sample.metric} was not declared`);
    if (m.type === 'trend') m.values.push(sample.value);
    m.n++;
    m.sum += sample.value;
    if (sample.value !== 0) m.nonZero++;
    m.min = Math.min(m.min, sample.value);
    m.max = Math.max(m.max, sample.value);
    m.last = sample.value;
    for (const s of this.sinks) s.add(sample);
  }

  names(): string[] {
    return [...this.metrics.keys()];
  }

  /**
   * Statistics of one metric keyed as in k6's summary export: trends give avg/min/med/max
   * and p(N) for each requested percentile, rates give passes/fails/value (and `rate`, the
   * key thresholds use), counters give count/rate, gauges value/min/max.
   */
  stats(metric: string, durationS: number, percentiles: readonly number[]): Record<string, number> {
    const m = this.metrics.get(metric);
    if (!m) return {};
    const n = m.n;
    switch (m.type) {
      case 'trend': {
        const sorted = Float64Array.from(m.values).sort();
        const out: Record<string, number> = {
          avg: n ? m.sum / n : 0,
          min: n ? m.min : 0,
          med: percentile(sorted, 50),
          max: n ? m.max : 0,
        };
        for (const p of percentiles) out[`p(${p})`] = percentile(sorted, p);
        return out;
      }
      case 'rate':
        return {
          passes: m.nonZero,
          fails: n - m.nonZero,
          value: n ? m.nonZero / n : 0,
          rate: n ? m.nonZero / n : 0,
        };
      case 'counter':
        return { count: m.sum, rate: durationS > 0 ? m.sum / durationS : 0 };
      case 'gauge':
        return { value: m.last, min: n ? m.min : 0, max: n ? m.max : 0 };
    }
  }

  type(metric: string): MetricType | undefined {
    return this.metrics.get(metric)?.type;
  }
}

/** k6's percentile: linear interpolation between closest ranks of the sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0];
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** The built-in metrics of k6's HTTP runs, as both runners record them. */
export function declareHttpMetrics(recorder: MetricsRecorder): void {
  recorder.declare('http_reqs', 'counter');
  recorder.declare('http_req_duration', 'trend', 'time');
  recorder.declare('http_req_failed', 'rate');
  recorder.declare('iterations', 'counter');
  recorder.declare('iteration_duration', 'trend', 'time');
  recorder.declare('data_sent', 'counter', 'data');
  recorder.declare('data_received', 'counter', 'data');
}
