import { moments } from './distributions';
import {
  ALL_PROFILES,
  createWait,
  findProfile,
  formatDuration,
  LOAD_MATRIX,
  parseDuration,
  SMOKE_PROFILES,
  WAITS,
  withOverrides,
} from './profiles';

describe('load matrix', () => {
  it('is every distribution x {50, 500, 5000} VUs x {5, 10, 15} min', () => {
    expect(LOAD_MATRIX).toHaveLength(36);
    const combos = new Set(LOAD_MATRIX.map((p) => `${p.distribution}/${p.vus}/${p.durationS}`));
    for (const d of ['normal', 'poisson', 'uniform', 'exponential']) {
      for (const v of [50, 500, 5000]) {
        for (const m of [5, 10, 15]) expect(combos).toContain(`${d}/${v}/${m * 60}`);
      }
    }
  });

  it('has one 20 s, 50-VU smoke profile per distribution', () => {
    expect(SMOKE_PROFILES.map((p) => [p.id, p.vus, p.durationS, p.smoke])).toEqual([
      ['normal-smoke', 50, 20, true],
      ['poisson-smoke', 50, 20, true],
      ['uniform-smoke', 50, 20, true],
      ['exponential-smoke', 50, 20, true],
    ]);
  });

  it('has unique ids that findProfile resolves', () => {
    const ids = ALL_PROFILES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(findProfile('poisson-500vu-10m')).toMatchObject({ vus: 500, durationS: 600 });
    expect(() => findProfile('gaussian-1vu')).toThrow(/unknown profile/);
  });

  it('gives every distribution a mean wait of one second', () => {
    for (const w of Object.values(WAITS)) {
      expect(moments(w.distribution).mean * w.unitMs).toBeCloseTo(1000, 9);
    }
  });
});

describe('createWait', () => {
  it('is reproducible per seed, never negative, and near its mean', () => {
    const a = createWait(WAITS.normal, '1:3');
    const b = createWait(WAITS.normal, '1:3');
    const xs = Array.from({ length: 20_000 }, a);
    expect(Array.from({ length: 20_000 }, b)).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 1000)).toBeLessThan(10);
  });

  it('counts Poisson waits in 100 ms ticks', () => {
    const wait = createWait(WAITS.poisson, 5);
    for (let i = 0; i < 1000; i++) expect(wait() % 100).toBe(0);
  });
});

describe('withOverrides', () => {
  it('renames the profile after its new size', () => {
    const p = withOverrides(findProfile('uniform-smoke'), { durationS: 5 });
    expect(p).toMatchObject({
      id: 'uniform-50vu-5s',
      vus: 50,
      durationS: 5,
      distribution: 'uniform',
    });
    expect(withOverrides(p, {})).toBe(p);
    expect(() => withOverrides(p, { vus: 0 })).toThrow(RangeError);
  });
});

describe('durations', () => {
  it.each([
    ['20s', 20],
    ['5m', 300],
    ['1h30m', 5400],
    ['1500ms', 1.5],
    ['2.5', 2.5],
    ['1m30s', 90],
  ])('parses %s', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it.each(['', 'soon', '5 minutes', '5x', '0s', '-3s'])('rejects "%s"', (text) => {
    expect(() => parseDuration(text)).toThrow(RangeError);
  });

  it('formats whole minutes as minutes', () => {
    expect([20, 300, 90, 1.5].map(formatDuration)).toEqual(['20s', '5m', '90s', '1500ms']);
  });
});
