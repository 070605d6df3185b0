import { defaultRuleSet } from './default-rule-set';
import { createEvaluator } from './evaluator';
import { T0 } from './testing/scenario';

describe('default rule set', () => {
  it('reproduces the original edge check: temperature above 30 °C raises temperature_alert', () => {
    const ev = createEvaluator(defaultRuleSet());
    expect(ev.evaluate({ deviceId: 'edge-1', sensor: 'temperature', value: 30, ts: T0 })).toBe(0);
    expect(
      ev.evaluate({ deviceId: 'edge-1', sensor: 'temperature', value: 30.1, ts: T0 + 1 }),
    ).toBe(1);
    expect(ev.toEvent(0)).toEqual({
      deviceId: 'edge-1',
      sensor: 'temperature',
      ruleId: 'temperature_alert',
      state: 'raised',
      severity: 'warning',
      value: 30.1,
      ts: T0 + 1,
      message: 'temperature 30.1 °C above 30 °C',
    });
  });

  it('has sensible defaults for the other environmental sensors', () => {
    const ev = createEvaluator(defaultRuleSet());
    const raised = (sensor: 'humidity' | 'light' | 'air_quality', values: number[]) =>
      values.flatMap((value, i) => {
        ev.evaluate({ deviceId: 'n', sensor, value, ts: T0 + i * 1000 });
        return ev.events().map((e) => `${e.ruleId}:${e.state}`);
      });
    expect(raised('humidity', [60, 71, 68, 64, 15, 22, 26])).toEqual([
      'humidity_high:raised',
      'humidity_high:cleared',
      'humidity_low:raised',
      'humidity_low:cleared',
    ]);
    expect(raised('light', [500, 5, 5, 5, 500, 500, 500])).toEqual([
      'light_dark:raised',
      'light_dark:cleared',
    ]);
    expect(raised('air_quality', [80, 160, 320, 120, 90])).toEqual([
      'air_quality_poor:raised',
      'air_quality_hazardous:raised',
      'air_quality_hazardous:cleared',
      'air_quality_poor:cleared',
    ]);
    expect(ev.tick(T0 + 3_600_000)).toBe(3);
  });
});
