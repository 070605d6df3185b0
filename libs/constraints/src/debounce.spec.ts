import { edges, rule, ruleSet, scenario } from './testing/scenario';

const hot = { kind: 'threshold', op: '>', value: 30 } as const;

describe('debounce (for-duration) rules', () => {
  it('raises after N consecutive samples and clears at once by default', () => {
    const set = ruleSet(rule({ kind: 'debounce', condition: hot, raise: { samples: 3 } }));
    expect(edges(scenario(set, [31, 31, 20, 31, 31, 31, 35, 20, 31]))).toEqual(['+5', '-7']);
  });

  it('needs N consecutive failing samples to clear when clear is given', () => {
    const set = ruleSet(
      rule({ kind: 'debounce', condition: hot, raise: { samples: 2 }, clear: { samples: 2 } }),
    );
    expect(edges(scenario(set, [31, 31, 20, 31, 20, 20, 20]))).toEqual(['+1', '-5']);
  });

  it('raises once the condition has held for T ms since its first sample', () => {
    const set = ruleSet(rule({ kind: 'debounce', condition: hot, raise: { ms: 5000 } }));
    const steps: [number, number][] = [
      [0, 31],
      [3000, 31],
      [4999, 31],
      [5000, 31],
      [6000, 20],
      [7000, 31],
      [20000, 31],
    ];
    expect(edges(scenario(set, steps))).toEqual(['+3', '-4', '+6']);
  });

  it('holds for T ms before clearing', () => {
    const set = ruleSet(
      rule({ kind: 'debounce', condition: hot, raise: { samples: 1 }, clear: { ms: 2000 } }),
    );
    const steps: [number, number][] = [
      [0, 31],
      [1000, 20],
      [2000, 31],
      [3000, 20],
      [4000, 20],
      [5000, 20],
    ];
    expect(edges(scenario(set, steps))).toEqual(['+0', '-5']);
  });

  it('treats a 0 ms hold as immediate', () => {
    const set = ruleSet(rule({ kind: 'debounce', condition: hot, raise: { ms: 0 } }));
    expect(edges(scenario(set, [31, 20]))).toEqual(['+0', '-1']);
  });
});
