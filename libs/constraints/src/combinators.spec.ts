import { edges, rule, ruleSet, scenario } from './testing/scenario';

describe('any / all combinators', () => {
  it('any raises while one condition holds', () => {
    const set = ruleSet(
      rule({
        kind: 'any',
        conditions: [
          { kind: 'threshold', op: '>', value: 30 },
          { kind: 'threshold', op: '<', value: 0 },
        ],
      }),
    );
    expect(edges(scenario(set, [10, 31, -1, 5]))).toEqual(['+1', '-3']);
  });

  it('all raises only while every condition holds', () => {
    const set = ruleSet(
      rule({
        kind: 'all',
        conditions: [
          { kind: 'band', mode: 'inside', low: 20, high: 30 },
          { kind: 'threshold', op: '!=', value: 25 },
        ],
      }),
    );
    expect(edges(scenario(set, [10, 22, 25, 28, 31]))).toEqual(['+1', '-2', '+3', '-4']);
  });

  it('feeds every reading to stateful children even when the result is already known', () => {
    // any: the threshold is true at step 1, yet the rate child must still record step 1,
    // so the jump at step 2 is measured from step 1 (Δ 1), not from step 0 (Δ 11).
    const set = ruleSet(
      rule({
        kind: 'any',
        conditions: [
          { kind: 'threshold', op: '>', value: 30 },
          { kind: 'rate', limit: 5 },
        ],
      }),
    );
    expect(edges(scenario(set, [20, 31, 30, 30]))).toEqual(['+1', '-2']);
  });

  it('nests', () => {
    const set = ruleSet(
      rule({
        kind: 'all',
        conditions: [
          { kind: 'threshold', op: '>', value: 0 },
          {
            kind: 'any',
            conditions: [
              { kind: 'threshold', op: '<', value: 5 },
              { kind: 'threshold', op: '>', value: 50 },
            ],
          },
        ],
      }),
    );
    expect(edges(scenario(set, [-1, 3, 10, 60, 0]))).toEqual(['+1', '-2', '+3', '-4']);
  });
});
