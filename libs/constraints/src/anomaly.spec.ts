import { edges, rule, ruleSet, scenario } from './testing/scenario';

describe('anomaly (EWMA z-score) rules', () => {
  const anomaly = rule({ kind: 'anomaly', alpha: 0.1, k: 3, warmup: 5 });

  it('raises on a spike once warmed up, clears when values are ordinary again', () => {
    const calm = [20, 21, 20, 21, 20, 21, 20, 21];
    expect(edges(scenario(ruleSet(anomaly), [...calm, 40, 21, 20]))).toEqual(['+8', '-9']);
  });

  it('stays quiet during warm-up, however wild the values', () => {
    expect(edges(scenario(ruleSet(anomaly), [20, 21, 80, -40, 20]))).toEqual([]);
  });

  it('does not fire on a constant signal (zero variance)', () => {
    expect(edges(scenario(ruleSet(anomaly), Array(20).fill(5)))).toEqual([]);
  });

  it('adapts: a level shift stops being anomalous', () => {
    const calm = Array.from({ length: 10 }, (_x, i) => 20 + (i % 2));
    const shifted = Array.from({ length: 60 }, (_x, i) => 40 + (i % 2));
    const e = edges(scenario(ruleSet(anomaly), [...calm, ...shifted]));
    expect(e[0]).toBe('+10');
    expect(e[e.length - 1]).toMatch(/^-/);
  });
});
