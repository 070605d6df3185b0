import { BUILT_IN_SENSOR_KINDS, type SensorKindSpec } from '@iotmon/domain';
import { simulatedSource } from './simulated-source';

const TEMPERATURE = BUILT_IN_SENSOR_KINDS.find((k) => k.id === 'temperature')!;
/** A kind an admin added: no hand-tuned profile, one from its range. */
const RADON: SensorKindSpec = {
  id: 'radon',
  displayName: 'Radon',
  unit: 'Bq/m³',
  min: 5,
  max: 4000,
  decimals: 2,
  defaultRules: [],
};

describe('simulated source', () => {
  it.each([...BUILT_IN_SENSOR_KINDS, RADON].map((k) => [k.id, k] as const))(
    'keeps %s within its valid range and decimals over two days',
    (_id, kind) => {
      const next = simulatedSource(kind);
      const values = new Set<number>();
      for (let t = 0; t < 2 * 86_400_000; t += 60_000) {
        const v = next(t);
        values.add(v);
        expect(v).toBeGreaterThanOrEqual(kind.min);
        expect(v).toBeLessThanOrEqual(kind.max);
        expect(Number(v.toFixed(kind.decimals))).toBe(v);
      }
      expect(values.size).toBeGreaterThan(10);
    },
  );

  it('follows a daily cycle: warmer in the afternoon than at night', () => {
    const noiseless = simulatedSource(TEMPERATURE, () => 0.5);
    const night = noiseless(Date.UTC(2026, 0, 1, 2));
    const afternoon = noiseless(Date.UTC(2026, 0, 1, 14));
    expect(afternoon - night).toBeCloseTo(8, 5);
  });
});
