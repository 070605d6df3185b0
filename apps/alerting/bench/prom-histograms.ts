/** Reads Prometheus histograms and gauges from a /metrics text (format 0.0.4) for the bench. */

export interface Histogram {
  /** Upper bounds and cumulative counts, ascending (+Inf last). */
  buckets: [number, number][];
  count: number;
  sum: number;
}

const LINE = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)/;

function labelsOf(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (text ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]] = m[2];
  return out;
}

/** The series of `name` whose labels include `match`, summed over the other labels. */
export function histogramOf(
  metrics: string,
  name: string,
  match: Record<string, string> = {},
): Histogram {
  const buckets = new Map<number, number>();
  let count = 0;
  let sum = 0;
  for (const line of metrics.split('\n')) {
    const m = LINE.exec(line);
    if (!m || !m[1].startsWith(name)) continue;
    const labels = labelsOf(m[2]);
    if (Object.entries(match).some(([k, v]) => labels[k] !== v)) continue;
    const v = Number(m[3]);
    if (m[1] === `${name}_bucket`) {
      const le = labels['le'] === '+Inf' ? Infinity : Number(labels['le']);
      buckets.set(le, (buckets.get(le) ?? 0) + v);
    } else if (m[1] === `${name}_count`) count += v;
    else if (m[1] === `${name}_sum`) sum += v;
  }
  return { buckets: [...buckets].sort((a, b) => a[0] - b[0]), count, sum };
}

/** A gauge's value (the first series matching). */
export function gaugeOf(metrics: string, name: string): number | undefined {
  for (const line of metrics.split('\n')) {
    const m = LINE.exec(line);
    if (m && m[1] === name) return Number(m[3]);
  }
  return undefined;
}

/** The q-quantile, interpolated linearly within its bucket (as histogram_quantile does). */
export function quantile(h: Histogram, q: number): number {
  if (h.count === 0) return NaN;
  const rank = q * h.count;
  let lower = 0;
  let below = 0;
  for (const [le, cumulative] of h.buckets) {
    if (cumulative >= rank) {
      if (le === Infinity) return lower;
      const inBucket = cumulative - below;
      return inBucket === 0 ? le : lower + ((le - lower) * (rank - below)) / inBucket;
    }
    lower = le;
    below = cumulative;
  }
  return lower;
}
