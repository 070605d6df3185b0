/**
 * The four wait-time distributions of the original k6 evaluation, as data plus samplers.
 * A spec is unitless; a profile's wait scales it to milliseconds (see profiles.ts).
 */
import type { Rng } from './rng';

export type DistributionSpec =
  | { kind: 'normal'; mean: number; stddev: number }
  | { kind: 'poisson'; lambda: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; lambda: number };

export type DistributionKind = DistributionSpec['kind'];

export const DISTRIBUTION_KINDS: readonly DistributionKind[] = [
  'normal',
  'poisson',
  'uniform',
  'exponential',
];

export type Sampler = () => number;

/** Throws on parameters for which the distribution is undefined. */
export function assertValidSpec(spec: DistributionSpec): void {
  const bad = (what: string): never => {
    throw new RangeError(`${spec.kind}: ${what}`);
  };
  const finite = (v: number) => Number.isFinite(v);
  switch (spec.kind) {
    case 'normal':
      if (!finite(spec.mean) || !finite(spec.stddev) || spec.stddev < 0) {
        bad('mean must be finite and stddev >= 0');
      }
      return;
    case 'poisson':
    case 'exponential':
      if (!finite(spec.lambda) || spec.lambda <= 0) bad('lambda must be > 0');
      return;
    case 'uniform':
      if (!finite(spec.min) || !finite(spec.max) || spec.max < spec.min) bad('need min <= max');
      return;
  }
}

/** A sampler drawing from `spec` with the given random source. */
export function createSampler(spec: DistributionSpec, rng: Rng): Sampler {
  assertValidSpec(spec);
  switch (spec.kind) {
    case 'normal':
      return normalSampler(spec.mean, spec.stddev, rng);
    case 'poisson':
      return spec.lambda < 30 ? poissonKnuth(spec.lambda, rng) : poissonPtrs(spec.lambda, rng);
    case 'uniform':
      return () => spec.min + (spec.max - spec.min) * rng();
    case 'exponential':
      // 1 - u is in (0, 1], so the log is finite.
      return () => -Math.log(1 - rng()) / spec.lambda;
  }
}

/** Marsaglia's polar method; the second variate of each pair is kept for the next call. */
function normalSampler(mean: number, stddev: number, rng: Rng): Sampler {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return mean + stddev * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * rng() - 1;
      v = 2 * rng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    return mean + stddev * u * f;
  };
}

/** Knuth's multiplication method: exact, O(lambda) uniforms per draw, fine below 30. */
function poissonKnuth(lambda: number, rng: Rng): Sampler {
  const limit = Math.exp(-lambda);
  return () => {
    let k = 0;
    let p = rng();
    while (p > limit) {
      k++;
      p *= rng();
    }
    return k;
  };
}

/** Hörmann's PTRS (transformed rejection with squeeze), exact for lambda >= 10. */
function poissonPtrs(lambda: number, rng: Rng): Sampler {
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  return () => {
    for (;;) {
      const u = rng() - 0.5;
      const v = rng();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
      if (lhs <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  };
}

/** ln(k!) exactly below 20, by Stirling's series (error < 1e-12) above. */
export function logFactorial(k: number): number {
  if (k < 20) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const k2 = k * k;
  return (
    k * Math.log(k) -
    k +
    0.5 * Math.log(2 * Math.PI * k) +
    1 / (12 * k) -
    1 / (360 * k * k2) +
    1 / (1260 * k2 * k2 * k)
  );
}

export interface Moments {
  mean: number;
  variance: number;
}

/** The theoretical mean and variance of a spec. */
export function moments(spec: DistributionSpec): Moments {
  switch (spec.kind) {
    case 'normal':
      return { mean: spec.mean, variance: spec.stddev ** 2 };
    case 'poisson':
      return { mean: spec.lambda, variance: spec.lambda };
    case 'uniform':
      return { mean: (spec.min + spec.max) / 2, variance: (spec.max - spec.min) ** 2 / 12 };
    case 'exponential':
      return { mean: 1 / spec.lambda, variance: 1 / spec.lambda ** 2 };
  }
}

/** P(X <= x). For Poisson, x is floored (the CDF of a discrete variable is a step). */
export function cdf(spec: DistributionSpec, x: number): number {
  switch (spec.kind) {
    case 'normal':
      return spec.stddev === 0
        ? Number(x >= spec.mean)
        : 0.5 * erfc(-(x - spec.mean) / (spec.stddev * Math.SQRT2));
    case 'uniform':
      if (x < spec.min) return 0;
      if (x >= spec.max) return 1;
      return (x - spec.min) / (spec.max - spec.min);
    case 'exponential':
      return x <= 0 ? 0 : 1 - Math.exp(-spec.lambda * x);
    case 'poisson': {
      if (x < 0) return 0;
      let sum = 0;
      for (let k = 0; k <= Math.floor(x); k++) sum += poissonPmf(spec.lambda, k);
      return Math.min(1, sum);
    }
  }
}

export function poissonPmf(lambda: number, k: number): number {
  return Math.exp(-lambda + k * Math.log(lambda) - logFactorial(k));
}

/** Complementary error function, Numerical Recipes' erfcc (relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
