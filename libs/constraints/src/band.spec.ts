import { edges, rule, ruleSet, scenario } from './testing/scenario';

describe('band rules', () => {
  it('raises inside a closed band, bounds included', () => {
    const set = ruleSet(rule({ kind: 'band', mode: 'inside', low: 10, high: 20 }));
    expect(edges(scenario(set, [9, 10, 15, 20, 20.5, 5]))).toEqual(['+1', '-4']);
  });

  it('raises outside the band, bounds excluded', () => {
    const set = ruleSet(rule({ kind: 'band', mode: 'outside', low: 10, high: 20 }));
    expect(edges(scenario(set, [15, 10, 9.99, 12, 20, 21, 25, 19]))).toEqual([
      '+2',
      '-3',
      '+5',
      '-7',
    ]);
  });

  it('treats a zero-width band as equality', () => {
    const set = ruleSet(rule({ kind: 'band', mode: 'inside', low: 0, high: 0 }));
    expect(edges(scenario(set, [1, -0, 0, 1e-9]))).toEqual(['+1', '-3']);
  });
});
