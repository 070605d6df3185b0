import { createEvaluator } from './evaluator';
import { rule, ruleSet, T0 } from './testing/scenario';

const debounce = rule({
  id: 'hot',
  kind: 'debounce',
  condition: { kind: 'threshold', op: '>', value: 30 },
  raise: { samples: 3 },
});
const cold = rule({ id: 'cold', kind: 'threshold', op: '<', value: 0 });
const at = (i: number, value: number, deviceId = 'd1') => ({
  deviceId,
  sensor: 'temperature' as const,
  ts: T0 + i * 1000,
  value,
});

describe.each(['codegen', 'closure'] as const)('swap (%s)', (backend) => {
  it('keeps the state of unchanged rules, even mid-debounce and with a new wording', () => {
    const ev = createEvaluator(ruleSet(debounce), { backend });
    ev.evaluate(at(0, 31));
    ev.evaluate(at(1, 31));
    const result = ev.swap(ruleSet(cold, { ...debounce, severity: 'critical', message: 'hot!' }));
    expect(result).toEqual({ kept: 1, fresh: 1, dropped: [] });
    expect(ev.evaluate(at(2, 31))).toBe(1);
    expect(ev.toEvent(0)).toMatchObject({ ruleId: 'hot', severity: 'critical', message: 'hot!' });
  });

  it('starts changed rules clean and reports the alarms they leave behind', () => {
    const ev = createEvaluator(
      ruleSet(cold, rule({ id: 'hot', kind: 'threshold', op: '>', value: 30 })),
      { backend },
    );
    ev.evaluate(at(0, 31));
    ev.evaluate(at(0, 31, 'd2'));
    const result = ev.swap(
      ruleSet(cold, rule({ id: 'hot', kind: 'threshold', op: '>', value: 35 })),
    );
    expect(result.kept).toBe(1);
    expect(result.dropped.map((e) => [e.deviceId, e.ruleId, e.state, e.value, e.ts])).toEqual([
      ['d1', 'hot', 'cleared', 31, T0],
      ['d2', 'hot', 'cleared', 31, T0],
    ]);
    expect(ev.isActive('d1', 'hot')).toBe(false);
    expect(ev.evaluate(at(1, 33))).toBe(0);
    expect(ev.evaluate(at(2, 36))).toBe(1);
  });

  it('reports alarms of removed rules and of devices moved to an override', () => {
    const hot = rule({ id: 'hot', kind: 'threshold', op: '>', value: 30 });
    const labHot = rule({ id: 'hot', kind: 'threshold', op: '>', value: 40, devices: ['b'] });
    const ev = createEvaluator(ruleSet(hot, cold), { backend });
    ev.evaluate(at(0, -5, 'a'));
    ev.evaluate(at(0, 31, 'b'));
    ev.evaluate(at(0, 31, 'c'));
    const result = ev.swap(ruleSet(hot, labHot));
    expect(result.dropped.map((e) => `${e.deviceId}:${e.ruleId}`)).toEqual(['a:cold', 'b:hot']);
    expect(ev.isActive('c', 'hot')).toBe(true);
    expect(ev.isActive('b', 'hot')).toBe(false);
  });

  it('keeps the last timestamps, so replays after a swap are still dropped', () => {
    const ev = createEvaluator(ruleSet(cold), { backend });
    ev.evaluate(at(5, 1));
    ev.swap(ruleSet(rule({ id: 'x', kind: 'threshold', op: '>', value: 0 })));
    expect(ev.evaluate(at(4, 1))).toBeLessThan(0);
  });

  it('refuses an invalid rule set and keeps running the old one', () => {
    const ev = createEvaluator(ruleSet(cold), { backend });
    const broken = rule({ id: 'cold', kind: 'threshold', op: '<', value: NaN });
    expect(() => ev.swap(ruleSet(broken))).toThrow(/rules\[0\]\.value/);
    expect(ev.evaluate(at(0, -1))).toBe(1);
  });
});
