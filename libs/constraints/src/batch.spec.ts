import { defaultRuleSet } from './default-rule-set';
import { createEvaluator } from './evaluator';
import { T0 } from './testing/scenario';

describe.each(['codegen', 'closure'] as const)('evaluateBatch (%s)', (backend) => {
  it('gives the same transitions as per-reading evaluation', () => {
    const perReading = createEvaluator(defaultRuleSet(), { backend });
    const batched = createEvaluator(defaultRuleSet(), { backend });
    const ids = ['a', 'b', 'c'];
    const n = 3000;
    const cols = {
      device: new Int32Array(n),
      sensor: new Uint8Array(n),
      ts: new Float64Array(n),
      value: new Float64Array(n),
    };
    const kinds = ['temperature', 'humidity', 'light', 'air_quality'] as const;
    const expected: string[] = [];
    for (let i = 0; i < n; i++) {
      const kind = kinds[i % 4];
      const value = i % 97 === 0 ? NaN : ((i * 7919) % 400) - 20 + (kind === 'light' ? -30 : 0);
      const reading = {
        deviceId: ids[i % 3],
        sensor: kind,
        ts: T0 + Math.floor(i / 12) * 1000,
        value,
      };
      perReading.evaluate(reading);
      expected.push(...perReading.events().map((e) => JSON.stringify(e)));
      cols.device[i] = batched.deviceIndex(reading.deviceId);
      cols.sensor[i] = batched.sensorIndex(kind);
      cols.ts[i] = reading.ts;
      cols.value[i] = value;
    }
    const count = batched.evaluateBatch(cols);
    expect(count).toBeGreaterThan(10);
    expect(batched.events().map((e) => JSON.stringify(e))).toEqual(expected);
    expect(batched.stats()).toEqual(perReading.stats());
  });

  it('counts unknown device and sensor indexes instead of throwing', () => {
    const ev = createEvaluator(defaultRuleSet(), { backend });
    ev.deviceIndex('a');
    ev.evaluateBatch({
      device: new Int32Array([0, 7, -1, 0]),
      sensor: new Uint8Array([0, 0, 0, 200]),
      ts: new Float64Array([1, 2, 3, 4]),
      value: new Float64Array([40, 40, 40, 40]),
    });
    expect(ev.stats()).toMatchObject({ accepted: 1, unknownDevice: 2, unknownSensor: 1 });
    expect(ev.out.length).toBe(1);
  });

  it('honours an explicit length and the late flag', () => {
    const ev = createEvaluator(defaultRuleSet(), { backend });
    ev.deviceIndex('a');
    const n = ev.evaluateBatch({
      device: new Int32Array([0, 0]),
      sensor: new Uint8Array([0, 0]),
      ts: new Float64Array([1, 2]),
      value: new Float64Array([40, 10]),
      length: 1,
      late: true,
    });
    expect(n).toBe(1);
    expect(ev.toEvent(0)).toMatchObject({ state: 'raised', late: true });
  });
});
