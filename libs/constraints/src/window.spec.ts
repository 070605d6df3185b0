import { edges, rule, ruleSet, scenario } from './testing/scenario';

describe('window aggregate rules', () => {
  it('sliding avg over N samples waits for a full window', () => {
    const set = ruleSet(rule({ kind: 'window', aggregate: 'avg', samples: 3, op: '>', value: 30 }));
    // windows: [40,40] not full, [40,40,40]=40 raise, [40,40,0]=26.7 clear, [40,0,100] raise
    expect(edges(scenario(set, [40, 40, 40, 0, 100]))).toEqual(['+2', '-3', '+4']);
  });

  it('sliding min / max over N samples', () => {
    const min = ruleSet(
      rule({ kind: 'window', aggregate: 'min', samples: 2, op: '>=', value: 10 }),
    );
    expect(edges(scenario(min, [12, 11, 9, 15, 15]))).toEqual(['+1', '-2', '+4']);
    const max = ruleSet(rule({ kind: 'window', aggregate: 'max', samples: 2, op: '<', value: 0 }));
    expect(edges(scenario(max, [-1, -2, 3, -5, -6]))).toEqual(['+1', '-2', '+4']);
  });

  it('sliding time window keeps readings with ts in (t - ms, t]', () => {
    const set = ruleSet(
      rule({ kind: 'window', aggregate: 'count', ms: 10_000, op: '>=', value: 3 }),
    );
    const steps: [number, number][] = [
      [0, 1],
      [4000, 1],
      [9000, 1],
      [10_000, 1],
      [19_999, 1],
      [30_000, 1],
    ];
    // counts: 1, 2, 3, 3 (0 left at 10000), 2 (4000, 9000 left), 1
    expect(edges(scenario(set, steps))).toEqual(['+2', '-4']);
  });

  it('sliding time window avg', () => {
    const set = ruleSet(rule({ kind: 'window', aggregate: 'avg', ms: 3000, op: '>', value: 30 }));
    expect(edges(scenario(set, [20, 50, 30, 10, 10]))).toEqual(['+1', '-3']);
  });

  it('drops the oldest reading when a time window is over capacity', () => {
    const set = ruleSet(
      rule({ kind: 'window', aggregate: 'max', ms: 60_000, maxSamples: 2, op: '>', value: 30 }),
    );
    expect(edges(scenario(set, [40, 10, 10, 10]))).toEqual(['+0', '-2']);
  });

  it('tumbling sample windows give a verdict when each window closes', () => {
    const set = ruleSet(
      rule({ kind: 'window', aggregate: 'avg', samples: 2, tumbling: true, op: '>', value: 30 }),
    );
    // windows [40, 40]=40 at 1, [40, 0]=20 at 3, [100, 0]=50 at 5
    expect(edges(scenario(set, [40, 40, 40, 0, 100, 0, 31]))).toEqual(['+1', '-3', '+5']);
  });

  it('tumbling time windows close when a reading lands in a later window', () => {
    const set = ruleSet(
      rule({ kind: 'window', aggregate: 'max', ms: 60_000, tumbling: true, op: '>', value: 30 }),
    );
    const steps: [number, number][] = [
      [0, 40],
      [30_000, 10],
      [60_000, 10], // closes [0, 60 s): max 40 -> raised
      [90_000, 10],
      [185_000, 10], // closes [60 s, 120 s): max 10 -> cleared; [120 s, 180 s) had no readings
    ];
    expect(edges(scenario(set, steps))).toEqual(['+2', '-4']);
  });

  it('tumbling count over a time window', () => {
    const set = ruleSet(
      rule({ kind: 'window', aggregate: 'count', ms: 10_000, tumbling: true, op: '<', value: 3 }),
    );
    const steps: [number, number][] = [
      [0, 1],
      [1000, 1],
      [2000, 1],
      [10_000, 1], // closes window 0 with 3 readings: not < 3
      [20_000, 1], // closes window 1 with 1 reading -> raised
    ];
    expect(edges(scenario(set, steps))).toEqual(['+4']);
  });
});
