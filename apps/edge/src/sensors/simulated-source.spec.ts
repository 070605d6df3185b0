import { SENSOR_KINDS, SENSORS } from '@iotmon/domain';
import { simulatedSource } from './simulated-source';

describe('simulated source', () => {
  it.each(SENSOR_KINDS)('keeps %s within its valid range over two days', (kind) => {
    const next = simulatedSource(kind);
    for (let t = 0; t < 2 * 86_400_000; t += 60_000) {
      const v = next(t);
      expect(v).toBeGreaterThanOrEqual(SENSORS[kind].min);
      expect(v).toBeLessThanOrEqual(SENSORS[kind].max);
    }
  });

  it('follows a daily cycle: warmer in the afternoon than at night', () => {
    const noiseless = simulatedSource('temperature', () => 0.5);
    const night = noiseless(Date.UTC(2026, 0, 1, 2));
    const afternoon = noiseless(Date.UTC(2026, 0, 1, 14));
    expect(afternoon - night).toBeCloseTo(8, 5);
  });
});
