import { edges, rule, ruleSet, scenario } from './testing/scenario';

describe('rate-of-change rules', () => {
  it('raises when |Δvalue/Δt| exceeds the limit per second', () => {
    const set = ruleSet(rule({ kind: 'rate', limit: 2 }));
    // one reading per second: Δ of 2 is at the limit (not above), 3 is above
    expect(edges(scenario(set, [20, 22, 25, 26, 23, 23]))).toEqual(['+2', '-3', '+4', '-5']);
  });

  it('scales with the time between readings', () => {
    const set = ruleSet(rule({ kind: 'rate', limit: 1 }));
    const steps: [number, number][] = [
      [0, 10],
      [10_000, 15],
      [10_500, 16],
    ];
    expect(edges(scenario(set, steps))).toEqual(['+2']);
  });

  it('never fires on the first reading and ignores dropped duplicates', () => {
    const set = ruleSet(rule({ kind: 'rate', limit: 0 }));
    const trace = scenario(set, [
      { ts: 1000, value: 100 },
      { ts: 1000, value: 0 },
      { ts: 2000, value: 100 },
    ]);
    expect(edges(trace)).toEqual([]);
  });
});
