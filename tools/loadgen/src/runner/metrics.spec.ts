import { MetricsRecorder, percentile } from './metrics';

describe('MetricsRecorder', () => {
  it('summarises trends, rates, counters and gauges like k6', () => {
    const r = new MetricsRecorder();
    r.declare('d', 'trend', 'time');
    r.declare('f', 'rate');
    r.declare('c', 'counter');
    r.declare('g', 'gauge');
    const tags = {};
    [10, 20, 30, 40, 50].forEach((value) => r.add({ metric: 'd', time: 0, value, tags }));
    [1, 0, 0, 0].forEach((value) => r.add({ metric: 'f', time: 0, value, tags }));
    [2, 3].forEach((value) => r.add({ metric: 'c', time: 0, value, tags }));
    [5, 9, 7].forEach((value) => r.add({ metric: 'g', time: 0, value, tags }));
    expect(r.stats('d', 10, [95])).toEqual({ avg: 30, min: 10, med: 30, max: 50, 'p(95)': 48 });
    expect(r.stats('f', 10, [])).toEqual({ passes: 1, fails: 3, value: 0.25, rate: 0.25 });
    expect(r.stats('c', 10, [])).toEqual({ count: 5, rate: 0.5 });
    expect(r.stats('g', 10, [])).toEqual({ value: 7, min: 5, max: 9 });
  });

  it('refuses samples of undeclared metrics', () => {
    expect(() => new MetricsRecorder().add({ metric: 'x', time: 0, value: 1, tags: {} })).toThrow(
      /not declared/,
    );
  });

  it('interpolates percentiles between ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 99)).toBe(0);
  });
});
