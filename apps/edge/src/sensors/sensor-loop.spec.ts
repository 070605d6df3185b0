import { BUILT_IN_CATALOGUE } from '@iotmon/domain';
import { SensorLoop } from './sensor-loop';
import { SensorFault, simulatedSource, withFaults } from './simulated-source';

describe('sensor loop', () => {
  it('counts and reports a throwing source once per failure streak, and goes on', () => {
    let fail = true;
    const samples: number[] = [];
    const reports: string[] = [];
    const loop = new SensorLoop(
      'light',
      1000,
      () => {
        if (fail) throw new SensorFault('light sensor read failed');
        return 300;
      },
      (_k, v) => samples.push(v),
      (s, recovered) => reports.push(recovered ? 'recovered' : `failing: ${s.lastError}`),
      () => 1_700_000_000_000,
    );
    loop.sample();
    loop.sample();
    fail = false;
    loop.sample();
    expect(loop.stats).toMatchObject({ samples: 1, failures: 2, failing: 0 });
    expect(samples).toEqual([300]);
    expect(reports).toEqual(['failing: light sensor read failed', 'recovered']);
  });

  it('skips the samples it is late for, or takes them at once when within catchUpMs', () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    try {
      const run = (catchUpMs: number) => {
        const loop = new SensorLoop(
          'light',
          10,
          () => 1,
          () => undefined,
          undefined,
          Date.now,
          catchUpMs,
        );
        loop.start();
        jest.advanceTimersToNextTimer(); // the first sample, on time
        jest.setSystemTime(Date.now() + 100); // the host stalls for 100 ms
        jest.advanceTimersToNextTimer();
        loop.stop();
        return loop.stats;
      };
      // The late timer fires at +110 ms: samples were due at +10 … +110.
      expect(run(0)).toMatchObject({ samples: 2, skipped: 9 });
      expect(run(1_000)).toMatchObject({ samples: 12, skipped: 0 });
    } finally {
      jest.useRealTimers();
    }
  });
});

const TEMPERATURE = BUILT_IN_CATALOGUE.get('temperature')!;

describe('injected faults', () => {
  it('always throws with failRate 1, and spikes with anomalyRate 1', () => {
    const failing = withFaults(TEMPERATURE, simulatedSource(TEMPERATURE), { failRate: 1 });
    expect(() => failing(0)).toThrow(SensorFault);
    const flat = () => 0.5;
    const normal = simulatedSource(TEMPERATURE, flat)(Date.UTC(2026, 0, 1, 12));
    const spiky = withFaults(
      TEMPERATURE,
      simulatedSource(TEMPERATURE, flat),
      { anomalyRate: 1 },
      flat,
    );
    expect(Math.abs(spiky(Date.UTC(2026, 0, 1, 12)) - normal)).toBeGreaterThan(10);
  });
});
