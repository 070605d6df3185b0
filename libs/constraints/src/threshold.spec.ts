import { createEvaluator } from './evaluator';
import { edges, rule, ruleSet, scenario } from './testing/scenario';

describe('threshold rules', () => {
  it('raises once when the value crosses and clears when it falls back', () => {
    const set = ruleSet(rule({ kind: 'threshold', op: '>', value: 30 }));
    expect(edges(scenario(set, [29, 30, 31, 32, 35, 30, 29, 31]))).toEqual(['+2', '-5', '+7']);
  });

  it.each([
    ['>', [29, 30, 31], ['+2']],
    ['>=', [29, 30, 31], ['+1']],
    ['<', [31, 30, 29], ['+2']],
    ['<=', [31, 30, 29], ['+1']],
    ['==', [29, 30, 31], ['+1', '-2']],
    ['!=', [30, 30, 31, 30], ['+2', '-3']],
  ] as const)('supports %s', (op, values, expected) => {
    const set = ruleSet(rule({ kind: 'threshold', op, value: 30 }));
    expect(edges(scenario(set, [...values]))).toEqual(expected);
  });

  it('keeps state per device', () => {
    const set = ruleSet(rule({ kind: 'threshold', op: '>', value: 30 }));
    const trace = scenario(set, [
      { deviceId: 'a', value: 31, ts: 1 },
      { deviceId: 'b', value: 20, ts: 1 },
      { deviceId: 'b', value: 40, ts: 2 },
      { deviceId: 'a', value: 35, ts: 2 },
      { deviceId: 'a', value: 10, ts: 3 },
    ]);
    expect(trace).toEqual(['0:a:r:raised', '2:b:r:raised', '4:a:r:cleared']);
  });

  it('only evaluates rules of the reading sensor', () => {
    const set = ruleSet(rule({ kind: 'threshold', op: '>', value: 30, sensor: 'humidity' }));
    expect(scenario(set, [50, 60], { sensor: 'temperature' })).toEqual([]);
    expect(edges(scenario(set, [50, 20], { sensor: 'humidity' }))).toEqual(['+0', '-1']);
  });

  it('turns a transition into a ConstraintEvent with the rendered message', () => {
    const set = ruleSet(
      rule({
        kind: 'threshold',
        op: '>',
        value: 30,
        id: 'hot',
        message: '{sensor} {value} on {deviceId} ({state})',
      }),
    );
    const ev = createEvaluator(set);
    expect(
      ev.evaluate({ deviceId: 'edge-1', sensor: 'temperature', value: 31.5, ts: 1000, late: true }),
    ).toBe(1);
    expect(ev.toEvent(0)).toEqual({
      deviceId: 'edge-1',
      sensor: 'temperature',
      ruleId: 'hot',
      state: 'raised',
      severity: 'warning',
      value: 31.5,
      ts: 1000,
      message: 'temperature 31.5 on edge-1 (raised)',
      late: true,
    });
  });
});
