import { createEvaluator } from './evaluator';
import { edges, rule, ruleSet, scenario, T0 } from './testing/scenario';

describe('staleness (no data) rules', () => {
  const set = ruleSet(rule({ kind: 'staleness', ms: 60_000 }));

  it('raises on a tick after more than T ms without a reading and clears on the next reading', () => {
    const trace = scenario(set, [
      [0, 20],
      { tick: 60_000 },
      { tick: 60_001 },
      { tick: 90_000 },
      [100_000, 21],
    ]);
    expect(edges(trace)).toEqual(['+2', '-4']);
  });

  it('never raises for a device that has not sent a reading of that sensor', () => {
    const ev = createEvaluator(set);
    ev.deviceIndex('quiet');
    ev.evaluate({ deviceId: 'other', sensor: 'humidity', value: 1, ts: T0 });
    expect(ev.tick(T0 + 3_600_000)).toBe(0);
  });

  it('reports the last value and the tick time in the raised event', () => {
    const ev = createEvaluator(set);
    ev.evaluate({ deviceId: 'd1', sensor: 'temperature', value: 21.5, ts: T0 });
    expect(ev.tick(T0 + 120_000)).toBe(1);
    expect(ev.toEvent(0)).toMatchObject({
      ruleId: 'r',
      state: 'raised',
      value: 21.5,
      ts: T0 + 120_000,
    });
  });

  it('checks every device and ignores a non-finite clock', () => {
    const ev = createEvaluator(set);
    for (const id of ['a', 'b', 'c'])
      ev.evaluate({ deviceId: id, sensor: 'temperature', value: 1, ts: T0 });
    ev.evaluate({ deviceId: 'b', sensor: 'temperature', value: 1, ts: T0 + 50_000 });
    expect(ev.tick(NaN)).toBe(0);
    expect(ev.tick(T0 + 70_000)).toBe(2);
    expect(ev.transitions().map((t) => t.deviceId)).toEqual(['a', 'c']);
    expect(ev.tick(T0 + 80_000)).toBe(0);
  });
});
