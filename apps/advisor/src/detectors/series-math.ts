/** Arithmetic over sampled series: counter rates (reset-aware), slopes, windows, z-scores. */
import type { Row, Series, Snapshot } from './snapshot';

export function select(s: Snapshot, metric: string, match: Record<string, string> = {}): Series[] {
  return s.series.filter(
    (x) => x.metric === metric && Object.entries(match).every(([k, v]) => x.labels[k] === v),
  );
}

/** Points with t in (at - windowMs, at]. */
export function window(
  points: [number, number][],
  at: number,
  windowMs: number,
): [number, number][] {
  return points.filter(([t]) => t > at - windowMs && t <= at);
}

/** Per-second increase of a counter over the points, counting a drop as a restart from 0. */
export function rate(points: [number, number][]): number | undefined {
  if (points.length < 2) return undefined;
  let increase = 0;
  for (let i = 1; i < points.length; i++) {
    const d = points[i][1] - points[i - 1][1];
    increase += d >= 0 ? d : points[i][1];
  }
  const seconds = (points[points.length - 1][0] - points[0][0]) / 1000;
  return seconds > 0 ? increase / seconds : undefined;
}

/** Per-second rate between consecutive points: a counter turned into a gauge, for charts. */
export function rateSeries(points: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 1; i < points.length; i++) {
    const dt = (points[i][0] - points[i - 1][0]) / 1000;
    const d = points[i][1] - points[i - 1][1];
    if (dt > 0) out.push([points[i][0], (d >= 0 ? d : points[i][1]) / dt]);
  }
  return out;
}

/** Least-squares slope in units per second. */
export function slope(points: [number, number][]): number | undefined {
  if (points.length < 3) return undefined;
  const n = points.length;
  const t0 = points[0][0];
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const [t, v] of points) {
    const x = (t - t0) / 1000;
    sx += x;
    sy += v;
    sxx += x * x;
    sxy += x * v;
  }
  const den = n * sxx - sx * sx;
  return den === 0 ? undefined : (n * sxy - sx * sy) / den;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

export function std(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export const num = (v: Row[string] | undefined): number =>
  typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;

export const str = (v: Row[string] | undefined): string =>
  v === null || v === undefined ? '' : String(v);

export const ms = (v: Row[string] | undefined): number =>
  typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;

/** `job/instance` of a series, for subjects and evidence. */
export const who = (s: Series): string =>
  [s.labels['job'], s.labels['instance']].filter(Boolean).join('/') || s.metric;

export const fmt = (v: number, digits = 2): string =>
  Number.isFinite(v) ? String(Math.round(v * 10 ** digits) / 10 ** digits) : String(v);

export const median = (xs: number[]): number => quantile(xs, 0.5);
