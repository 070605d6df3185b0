import { isSensorKind, SENSORS } from '@iotmon/domain';
import { LOAD_SENSORS } from './load-sensors';

describe('LOAD_SENSORS', () => {
  it.each(LOAD_SENSORS.map((s) => [s.kind, s]))(
    '%s is a domain sensor with a valid range',
    (_k, s) => {
      expect(isSensorKind(s.kind)).toBe(true);
      if (!isSensorKind(s.kind)) return;
      expect(s.min).toBeLessThan(s.max);
      expect(s.min).toBeGreaterThanOrEqual(SENSORS[s.kind].min);
      expect(s.max).toBeLessThanOrEqual(SENSORS[s.kind].max);
    },
  );
});
