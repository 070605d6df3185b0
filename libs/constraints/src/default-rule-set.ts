/**
 * The built-in rule set. `temperature_alert` reproduces the original edge check (a reading
 * above 30 °C); the others are conservative defaults for an office or a server room.
 */
import type { RuleSet } from '@iotmon/domain';

const FIVE_MINUTES = 5 * 60 * 1000;

export function defaultRuleSet(): RuleSet {
  return {
    version: 1,
    name: 'built-in defaults',
    rules: [
      {
        id: 'temperature_alert',
        sensor: 'temperature',
        severity: 'warning',
        kind: 'threshold',
        op: '>',
        value: 30,
        message: 'temperature {value} °C above 30 °C',
      },
      {
        id: 'humidity_high',
        sensor: 'humidity',
        severity: 'warning',
        kind: 'hysteresis',
        direction: 'above',
        raiseAt: 70,
        clearAt: 65,
        message: 'humidity {value} %RH above 70 %RH',
      },
      {
        id: 'humidity_low',
        sensor: 'humidity',
        severity: 'info',
        kind: 'hysteresis',
        direction: 'below',
        raiseAt: 20,
        clearAt: 25,
        message: 'humidity {value} %RH below 20 %RH',
      },
      {
        id: 'light_dark',
        sensor: 'light',
        severity: 'info',
        kind: 'debounce',
        condition: { kind: 'threshold', op: '<', value: 10 },
        raise: { samples: 3 },
        clear: { samples: 3 },
        message: 'light {value} lx: dark for 3 readings',
      },
      {
        id: 'air_quality_poor',
        sensor: 'air_quality',
        severity: 'warning',
        kind: 'hysteresis',
        direction: 'above',
        raiseAt: 150,
        clearAt: 100,
        message: 'air quality index {value} above 150',
      },
      {
        id: 'air_quality_hazardous',
        sensor: 'air_quality',
        severity: 'critical',
        kind: 'threshold',
        op: '>',
        value: 300,
        message: 'air quality index {value} above 300 (hazardous)',
      },
      ...(['temperature', 'humidity', 'light', 'air_quality'] as const).map((sensor) => ({
        id: `${sensor}_no_data`,
        sensor,
        severity: 'warning' as const,
        kind: 'staleness' as const,
        ms: FIVE_MINUTES,
        message: `no ${sensor} reading for 5 minutes`,
      })),
    ],
  };
}
