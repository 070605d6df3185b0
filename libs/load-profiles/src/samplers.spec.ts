import { cdf, createSampler, moments, type DistributionSpec, type Sampler } from './distributions';
import {
  chiSquareCritical,
  kurtosis,
  ksCritical,
  ksStatistic,
  poissonChiSquare,
  sampleMean,
  sampleVariance,
} from './goodness-of-fit';
import { WAITS } from './profiles';
import { createRng } from './rng';

const N = 100_000;
/** Significance of every test here: a correct sampler fails one in 1,000 seeds. */
const ALPHA = 0.001;
const Z_999 = 3.0902;
/** Mean and variance may stray this many standard errors (|z| > 4 has p < 1e-4). */
const Z_MOMENTS = 4;

function draw(sample: Sampler, n = N): number[] {
  return Array.from({ length: n }, sample);
}

/** Fails unless mean, variance and shape all match `spec`. */
function expectFits(xs: readonly number[], spec: DistributionSpec): void {
  const { mean, variance } = moments(spec);
  const n = xs.length;
  expect(Math.abs(sampleMean(xs) - mean)).toBeLessThan(Z_MOMENTS * Math.sqrt(variance / n));
  // Var(s^2) ~ (mu4 - sigma^4) / n with mu4 = kurtosis * sigma^4.
  const varSe = variance * Math.sqrt((kurtosis(spec) - 1) / n);
  expect(Math.abs(sampleVariance(xs) - variance)).toBeLessThan(Z_MOMENTS * varSe);
  if (spec.kind === 'poisson') {
    const { statistic, degreesOfFreedom } = poissonChiSquare(xs, spec.lambda);
    expect(statistic).toBeLessThan(chiSquareCritical(degreesOfFreedom, Z_999));
  } else {
    expect(ksStatistic(xs, spec)).toBeLessThan(ksCritical(n, ALPHA));
  }
}

/** True when the goodness-of-fit test rejects `xs` as a sample of `spec`. */
function rejects(xs: readonly number[], spec: DistributionSpec): boolean {
  if (spec.kind === 'poisson') {
    const { statistic, degreesOfFreedom } = poissonChiSquare(xs, spec.lambda);
    return statistic >= chiSquareCritical(degreesOfFreedom, Z_999);
  }
  return ksStatistic(xs, spec) >= ksCritical(xs.length, ALPHA);
}

const SPECS: readonly [string, DistributionSpec][] = [
  ...Object.entries(WAITS).map(([k, w]): [string, DistributionSpec] => [
    `${k} wait`,
    w.distribution,
  ]),
  ['standard normal', { kind: 'normal', mean: 0, stddev: 1 }],
  ['poisson, small lambda (Knuth)', { kind: 'poisson', lambda: 2.5 }],
  ['poisson, large lambda (PTRS)', { kind: 'poisson', lambda: 120 }],
  ['uniform on a negative range', { kind: 'uniform', min: -7, max: -2 }],
  ['exponential, slow rate', { kind: 'exponential', lambda: 0.05 }],
];

describe('samplers', () => {
  describe.each(SPECS)('%s', (_name, spec) => {
    it('matches mean, variance and distribution on 100k draws (seed 42)', () => {
      expectFits(draw(createSampler(spec, createRng(42))), spec);
    });

    it('is reproducible: the same seed gives the same sequence', () => {
      const a = draw(createSampler(spec, createRng('vu-7')), 1000);
      const b = draw(createSampler(spec, createRng('vu-7')), 1000);
      const c = draw(createSampler(spec, createRng('vu-8')), 1000);
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
    });
  });

  it('returns integers for Poisson', () => {
    const xs = draw(createSampler({ kind: 'poisson', lambda: 40 }, createRng(1)), 5000);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });

  it('keeps uniform draws inside [min, max) and exponential draws positive', () => {
    const u = draw(createSampler({ kind: 'uniform', min: 3, max: 4 }, createRng(3)), 10_000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...u)).toBeLessThan(4);
    const e = draw(createSampler({ kind: 'exponential', lambda: 2 }, createRng(3)), 10_000);
    expect(Math.min(...e)).toBeGreaterThan(0);
  });

  it('rejects invalid parameters', () => {
    const rng = createRng(1);
    expect(() => createSampler({ kind: 'normal', mean: 0, stddev: -1 }, rng)).toThrow(RangeError);
    expect(() => createSampler({ kind: 'poisson', lambda: 0 }, rng)).toThrow(RangeError);
    expect(() => createSampler({ kind: 'uniform', min: 2, max: 1 }, rng)).toThrow(RangeError);
    expect(() => createSampler({ kind: 'exponential', lambda: NaN }, rng)).toThrow(RangeError);
  });
});

/**
 * The checks above must be able to fail: feed each test a sampler of the wrong shape but the
 * same mean and variance, so only the goodness-of-fit test can tell them apart.
 */
describe('goodness-of-fit catches a wrong distribution', () => {
  const normal: DistributionSpec = { kind: 'normal', mean: 1, stddev: 0.25 };
  const halfWidth = 0.25 * Math.sqrt(3);

  it('a uniform sampler posing as normal (same mean and variance)', () => {
    const fake = draw(
      createSampler({ kind: 'uniform', min: 1 - halfWidth, max: 1 + halfWidth }, createRng(42)),
    );
    expect(rejects(fake, normal)).toBe(true);
    expect(() => expectFits(fake, normal)).toThrow();
  });

  it('a normal sampler posing as exponential (same mean and variance)', () => {
    const fake = draw(createSampler({ kind: 'normal', mean: 1, stddev: 1 }, createRng(42)));
    expect(rejects(fake, { kind: 'exponential', lambda: 1 })).toBe(true);
  });

  it('a normal sampler posing as uniform (same mean and variance)', () => {
    const fake = draw(
      createSampler({ kind: 'normal', mean: 1, stddev: 1 / Math.sqrt(12) }, createRng(42)),
    );
    expect(rejects(fake, { kind: 'uniform', min: 0.5, max: 1.5 })).toBe(true);
  });

  it('rounded normal values posing as Poisson (same mean and variance)', () => {
    const lambda = 10;
    const normal = createSampler(
      { kind: 'normal', mean: lambda, stddev: Math.sqrt(lambda) },
      createRng(42),
    );
    const fake = draw(() => Math.max(0, Math.round(normal())));
    expect(rejects(fake, { kind: 'poisson', lambda })).toBe(true);
  });

  it('a Poisson sampler with the wrong lambda', () => {
    const fake = draw(createSampler({ kind: 'poisson', lambda: 10.3 }, createRng(42)));
    expect(rejects(fake, { kind: 'poisson', lambda: 10 })).toBe(true);
  });
});

describe('cdf', () => {
  it('is the textbook value at known points', () => {
    expect(cdf({ kind: 'normal', mean: 0, stddev: 1 }, 1.959964)).toBeCloseTo(0.975, 6);
    expect(cdf({ kind: 'normal', mean: 0, stddev: 1 }, 0)).toBeCloseTo(0.5, 7);
    expect(cdf({ kind: 'exponential', lambda: 2 }, Math.LN2 / 2)).toBeCloseTo(0.5, 12);
    expect(cdf({ kind: 'uniform', min: 0, max: 4 }, 1)).toBe(0.25);
    // P(X <= 2) for Poisson(1) = e^-1 (1 + 1 + 1/2)
    expect(cdf({ kind: 'poisson', lambda: 1 }, 2)).toBeCloseTo(2.5 * Math.exp(-1), 12);
  });
});
