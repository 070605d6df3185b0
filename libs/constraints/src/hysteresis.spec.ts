import { edges, rule, ruleSet, scenario } from './testing/scenario';

describe('hysteresis rules', () => {
  it('raises above raiseAt and clears only below clearAt, without flapping', () => {
    const set = ruleSet(rule({ kind: 'hysteresis', direction: 'above', raiseAt: 30, clearAt: 25 }));
    expect(edges(scenario(set, [29, 30, 31, 29, 26, 30.5, 25, 24.9, 31]))).toEqual([
      '+2',
      '-7',
      '+8',
    ]);
  });

  it('works downwards for direction below', () => {
    const set = ruleSet(rule({ kind: 'hysteresis', direction: 'below', raiseAt: 20, clearAt: 25 }));
    expect(edges(scenario(set, [22, 19, 24, 25, 25.1, 19.9]))).toEqual(['+1', '-4', '+5']);
  });

  it('behaves as a threshold when both levels are equal', () => {
    const set = ruleSet(rule({ kind: 'hysteresis', direction: 'above', raiseAt: 30, clearAt: 30 }));
    expect(edges(scenario(set, [31, 30, 29, 31]))).toEqual(['+0', '-2', '+3']);
  });
});
