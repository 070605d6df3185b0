import { defaultRuleSet } from '@iotmon/constraints';
import type { RuleSet } from '@iotmon/domain';
import { thresholdLines } from '../public/thresholds.js';

describe('thresholdLines', () => {
  it('draws the built-in temperature limit (the original 30 °C check)', () => {
    expect(thresholdLines(defaultRuleSet(), 'edge-1', 'temperature')).toEqual([
      { value: 30, label: 'temperature_alert > 30', severity: 'warning', dashed: false },
    ]);
  });

  it('draws raise and clear levels of hysteresis rules and debounced thresholds', () => {
    const hum = thresholdLines(defaultRuleSet(), 'edge-1', 'humidity').map((l) => [
      l.value,
      l.dashed,
    ]);
    expect(hum).toEqual([
      [20, false],
      [25, true],
      [65, true],
      [70, false],
    ]);
    expect(thresholdLines(defaultRuleSet(), 'edge-1', 'light').map((l) => l.value)).toEqual([10]);
  });

  it('uses a device override instead of the generic rule of the same id', () => {
    const rs: RuleSet = {
      version: 1,
      rules: [
        {
          id: 't',
          sensor: 'temperature',
          severity: 'warning',
          kind: 'threshold',
          op: '>',
          value: 30,
        },
        {
          id: 't',
          sensor: 'temperature',
          severity: 'critical',
          kind: 'threshold',
          op: '>',
          value: 40,
          devices: ['lab'],
        },
        {
          id: 'b',
          sensor: 'temperature',
          severity: 'info',
          kind: 'band',
          mode: 'outside',
          low: 5,
          high: 45,
        },
      ],
    };
    expect(thresholdLines(rs, 'lab', 'temperature').map((l) => l.value)).toEqual([5, 40, 45]);
    expect(thresholdLines(rs, 'office', 'temperature').map((l) => l.value)).toEqual([5, 30, 45]);
  });

  it('draws nothing for rules without a constant limit or a missing rule set', () => {
    const rs: RuleSet = {
      version: 1,
      rules: [{ id: 'r', sensor: 'power', severity: 'info', kind: 'rate', limit: 5 }],
    };
    expect(thresholdLines(rs, 'x', 'power')).toEqual([]);
    expect(thresholdLines(null, 'x', 'power')).toEqual([]);
  });
});
