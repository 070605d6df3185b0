/**
 * Pass/fail criteria in k6's own threshold syntax (`p(95)<500`, `rate<0.01`), so k6 enforces
 * them natively and the Node runner evaluates the very same strings.
 */

/** Metric name -> threshold expressions, exactly as k6's `options.thresholds` takes them. */
export type ThresholdSet = Readonly<Record<string, readonly string[]>>;

export interface ParsedThreshold {
  /** `avg`, `min`, `max`, `med`, `count`, `rate`, `value` or `p(N)`. */
  stat: string;
  op: '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';
  value: number;
}

const THRESHOLD_RE =
  /^\s*(avg|min|max|med|count|rate|value|p\(\d+(?:\.\d+)?\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

export function parseThreshold(expr: string): ParsedThreshold {
  const m = THRESHOLD_RE.exec(expr);
  if (!m) throw new SyntaxError(`not a threshold expression: "${expr}"`);
  return { stat: m[1], op: m[2] as ParsedThreshold['op'], value: Number(m[3]) };
}

/**
 * True when the threshold holds. `stats` holds a metric's summary values keyed like k6's
 * summary export (`avg`, `p(95)`, `rate`, ...); a missing statistic fails the threshold.
 */
export function thresholdHolds(expr: string, stats: Readonly<Record<string, number>>): boolean {
  const t = parseThreshold(expr);
  const actual = stats[t.stat];
  if (actual === undefined || Number.isNaN(actual)) return false;
  switch (t.op) {
    case '<':
      return actual < t.value;
    case '<=':
      return actual <= t.value;
    case '>':
      return actual > t.value;
    case '>=':
      return actual >= t.value;
    case '==':
    case '===':
      return actual === t.value;
    case '!=':
      return actual !== t.value;
  }
}

/** Percentiles a threshold set asks for, e.g. [95, 99], so a runner computes them. */
export function percentilesUsed(set: ThresholdSet): number[] {
  const out = new Set<number>();
  for (const exprs of Object.values(set)) {
    for (const e of exprs) {
      const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(parseThreshold(e).stat);
      if (m) out.add(Number(m[1]));
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Failed requests, failed checks, and latency targets for a read-mostly route. */
export const READ_THRESHOLDS: ThresholdSet = {
  http_req_failed: ['rate<0.01'],
  checks: ['rate>0.99'],
  http_req_duration: ['p(95)<300', 'p(99)<1000'],
};

/** Writes commit before they answer (batched COPY), so their latency budget is larger. */
export const WRITE_THRESHOLDS: ThresholdSet = {
  http_req_failed: ['rate<0.01'],
  checks: ['rate>0.99'],
  http_req_duration: ['p(95)<500', 'p(99)<1500'],
};

/** Bulk inserts of 500 rows per request (`/iot/create?n=500`). */
export const BULK_THRESHOLDS: ThresholdSet = {
  http_req_failed: ['rate<0.01'],
  checks: ['rate>0.99'],
  http_req_duration: ['p(95)<1000', 'p(99)<2500'],
};
