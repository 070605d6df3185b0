import { edges, rule, ruleSet, scenario } from './testing/scenario';

describe('device overrides', () => {
  const generic = rule({ id: 'hot', kind: 'threshold', op: '>', value: 30 });
  const lab = rule({
    id: 'hot',
    kind: 'threshold',
    op: '>',
    value: 40,
    devices: ['lab-1', 'lab-2'],
  });

  it('an override with the same id wins for its devices only', () => {
    const set = ruleSet(generic, lab);
    const trace = scenario(set, [
      { deviceId: 'office', value: 35, ts: 1 },
      { deviceId: 'lab-1', value: 35, ts: 1 },
      { deviceId: 'lab-2', value: 45, ts: 1 },
    ]);
    expect(trace).toEqual(['0:office:hot:raised', '2:lab-2:hot:raised']);
  });

  it('an override without a generic rule applies to its devices only', () => {
    const set = ruleSet(lab);
    expect(edges(scenario(set, [50], { deviceId: 'office' }), 'hot')).toEqual([]);
    expect(edges(scenario(set, [50], { deviceId: 'lab-1' }), 'hot')).toEqual(['+0']);
  });

  it('keeps rule order: rules run in order of first appearance of their id', () => {
    const set = ruleSet(lab, rule({ id: 'any', kind: 'threshold', op: '>', value: 0 }), generic);
    expect(scenario(set, [{ deviceId: 'lab-1', value: 50, ts: 1 }])).toEqual([
      '0:lab-1:hot:raised',
      '0:lab-1:any:raised',
    ]);
  });
});
