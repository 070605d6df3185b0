import { BUILT_IN_CATALOGUE } from '@iotmon/domain';
import { LOAD_SENSORS } from './load-sensors';

describe('LOAD_SENSORS', () => {
  it.each(LOAD_SENSORS.map((s) => [s.kind, s]))(
    '%s is a domain sensor with a valid range',
    (_k, s) => {
      const kind = BUILT_IN_CATALOGUE.get(s.kind);
      expect(kind).toBeDefined();
      if (!kind) return;
      expect(s.min).toBeLessThan(s.max);
      expect(s.min).toBeGreaterThanOrEqual(kind.min);
      expect(s.max).toBeLessThanOrEqual(kind.max);
    },
  );
});
