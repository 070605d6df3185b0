import type { Reading } from '@iotmon/domain';

import { REJECTED } from './backend';
import { createEvaluator } from './evaluator';
import { edges, rule, ruleSet, scenario, T0 } from './testing/scenario';

const hot = ruleSet(rule({ kind: 'threshold', op: '>', value: 30 }));
const at = (ts: number, value: number): Reading => ({
  deviceId: 'd1',
  sensor: 'temperature',
  ts: T0 + ts,
  value,
});

describe.each(['codegen', 'closure'] as const)('bad readings (%s)', (backend) => {
  it('never throws on NaN or ±Infinity: rejects, counts, and leaves state alone', () => {
    const ev = createEvaluator(hot, { backend });
    expect(ev.evaluate(at(0, 31))).toBe(1);
    expect(ev.evaluate(at(1, NaN))).toBe(REJECTED.badValue);
    expect(ev.evaluate(at(2, Infinity))).toBe(REJECTED.badValue);
    expect(ev.evaluate(at(3, -Infinity))).toBe(REJECTED.badValue);
    expect(ev.evaluate({ ...at(4, 0), value: '12' as unknown as number })).toBe(REJECTED.badValue);
    expect(ev.evaluate({ ...at(0, 1), ts: NaN })).toBe(REJECTED.badTimestamp);
    expect(ev.isActive('d1', 'r')).toBe(true);
    expect(ev.evaluate(at(5, 20))).toBe(1);
    expect(ev.stats()).toMatchObject({ accepted: 2, badValue: 4, badTimestamp: 1 });
  });

  it('drops duplicate and out-of-order timestamps per device and sensor', () => {
    const ev = createEvaluator(hot, { backend });
    expect(ev.evaluate(at(10, 20))).toBe(0);
    expect(ev.evaluate(at(10, 40))).toBe(REJECTED.duplicate);
    expect(ev.evaluate(at(5, 40))).toBe(REJECTED.outOfOrder);
    expect(ev.evaluate({ ...at(5, 40), sensor: 'humidity' })).toBe(0);
    expect(ev.evaluate({ ...at(5, 40), deviceId: 'd2' })).toBe(1);
    expect(ev.stats()).toMatchObject({ accepted: 3, duplicate: 1, outOfOrder: 1 });
  });

  it('rejects an unknown sensor kind', () => {
    const ev = createEvaluator(hot, { backend });
    expect(ev.evaluate({ ...at(0, 40), sensor: 'wind' as never })).toBe(REJECTED.unknownSensor);
    expect(ev.stats().unknownSensor).toBe(1);
  });

  it('marks transitions of late (replayed) readings', () => {
    const ev = createEvaluator(hot, { backend });
    ev.evaluate({ ...at(0, 40), late: true });
    expect(ev.toEvent(0).late).toBe(true);
  });
});

describe('bad readings against the reference', () => {
  it('agree on a stream mixing good, bad and reordered readings', () => {
    const trace = scenario(hot, [
      [0, 31],
      [1000, NaN],
      [1000, 20],
      [500, 40],
      [1000, 40],
      [2000, -Infinity],
      [3000, 40],
    ]);
    expect(edges(trace)).toEqual(['+0', '-2', '+6']);
  });
});
