/**
 * Goodness-of-fit statistics for checking samplers against their specs: Kolmogorov-Smirnov
 * for continuous distributions, Pearson's chi-square for Poisson. Pure, no dependencies.
 */
import { cdf, poissonPmf, type DistributionSpec } from './distributions';

export function sampleMean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Unbiased sample variance (two-pass, numerically stable). */
export function sampleVariance(xs: readonly number[]): number {
  const m = sampleMean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return s / (xs.length - 1);
}

/** Fourth central moment over variance squared (3 for a normal). */
export function kurtosis(spec: DistributionSpec): number {
  switch (spec.kind) {
    case 'normal':
      return 3;
    case 'uniform':
      return 9 / 5;
    case 'exponential':
      return 9;
    case 'poisson':
      return 3 + 1 / spec.lambda;
  }
}

/** The two-sided one-sample KS statistic D of `xs` against the spec's CDF. */
export function ksStatistic(xs: readonly number[], spec: DistributionSpec): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(spec, sorted[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

/** Asymptotic KS critical value for significance `alpha`. */
export function ksCritical(n: number, alpha: number): number {
  return Math.sqrt(-0.5 * Math.log(alpha / 2)) / Math.sqrt(n);
}

export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
}

/**
 * Pearson's chi-square of integer samples against Poisson(lambda). Cells with an expected
 * count under 5 are merged into their neighbours (both tails), as the test requires.
 */
export function poissonChiSquare(xs: readonly number[], lambda: number): ChiSquareResult {
  const n = xs.length;
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let lo = Math.floor(lambda);
  while (lo > 0 && n * poissonPmf(lambda, lo - 1) >= 5) lo--;
  let hi = Math.floor(lambda);
  while (n * poissonPmf(lambda, hi + 1) >= 5) hi++;
  const cells: { observed: number; expected: number }[] = [];
  let pLow = 0;
  for (let k = 0; k <= lo; k++) pLow += poissonPmf(lambda, k);
  let oLow = 0;
  let oHigh = 0;
  for (const [k, c] of counts) {
    if (k <= lo) oLow += c;
    else if (k > hi) oHigh += c;
  }
  cells.push({ observed: oLow, expected: n * pLow });
  let pMid = pLow;
  for (let k = lo + 1; k <= hi; k++) {
    const p = poissonPmf(lambda, k);
    pMid += p;
    cells.push({ observed: counts.get(k) ?? 0, expected: n * p });
  }
  cells.push({ observed: oHigh, expected: n * Math.max(0, 1 - pMid) });
  let statistic = 0;
  for (const c of cells) statistic += (c.observed - c.expected) ** 2 / c.expected;
  return { statistic, degreesOfFreedom: cells.length - 1 };
}

/** Upper chi-square quantile by the Wilson-Hilferty approximation; `z` is the normal quantile. */
export function chiSquareCritical(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}
