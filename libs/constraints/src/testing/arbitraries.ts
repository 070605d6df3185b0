/** fast-check arbitraries for random rule sets and reading streams, edge values included. */
import {
  COMPARISON_OPS,
  WINDOW_AGGREGATES,
  type Condition,
  type Hold,
  type Reading,
  type Rule,
  type RuleSet,
  type RuleSpec,
  type WindowCondition,
} from '@iotmon/domain';
import fc from 'fast-check';

import { T0 } from './scenario';

/** Values that sit on thresholds, at float extremes, and the non-finite ones. */
const EDGE = [0, -0, 1, -1, 2.5, 30, 1e308, -1e308, Number.MIN_VALUE, Number.EPSILON];
const SPECIAL = [NaN, Infinity, -Infinity];

export const param = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE) },
  { weight: 3, arbitrary: fc.integer({ min: -5, max: 40 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

export const readingValue = fc.oneof(
  { weight: 8, arbitrary: param },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL) },
);

const op = fc.constantFrom(...COMPARISON_OPS);
const sortedPair = fc.tuple(param, param).map(([a, b]) => (a <= b ? [a, b] : [b, a]));

const windowCondition: fc.Arbitrary<Condition> = fc
  .record({
    aggregate: fc.constantFrom(...WINDOW_AGGREGATES),
    bySamples: fc.boolean(),
    samples: fc.integer({ min: 1, max: 5 }),
    ms: fc.integer({ min: 1, max: 5000 }),
    tumbling: fc.boolean(),
    maxSamples: fc.integer({ min: 1, max: 5 }),
    op,
    value: param,
  })
  .map(({ aggregate, bySamples, samples, ms, tumbling, maxSamples, op, value }) => {
    const useSamples = bySamples && aggregate !== 'count';
    const c: WindowCondition = { kind: 'window', aggregate, op, value };
    if (useSamples) c.samples = samples;
    else c.ms = ms;
    if (tumbling) c.tumbling = true;
    else if (!useSamples) c.maxSamples = maxSamples;
    return c;
  });

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ kind: fc.constant('threshold' as const), op, value: param }),
  fc
    .record({
      kind: fc.constant('band' as const),
      mode: fc.constantFrom<('inside' | 'outside')[]>('inside', 'outside'),
      b: sortedPair,
    })
    .map(({ kind, mode, b }) => ({ kind, mode, low: b[0], high: b[1] })),
  fc.record({
    kind: fc.constant('rate' as const),
    limit: fc.oneof(fc.constantFrom(0, 1, 1000), fc.double({ min: 0, max: 1e6, noNaN: true })),
  }),
  windowCondition,
  fc.record({
    kind: fc.constant('anomaly' as const),
    alpha: fc.oneof(fc.constantFrom(1, 0.5), fc.double({ min: 0.001, max: 1, noNaN: true })),
    k: fc.double({ min: 0.1, max: 5, noNaN: true }),
    warmup: fc.integer({ min: 1, max: 5 }),
  }),
);

export const condition: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 4, arbitrary: leaf },
  {
    weight: 1,
    arbitrary: fc
      .record({
        kind: fc.constantFrom<('any' | 'all')[]>('any', 'all'),
        conditions: fc.array(leaf, { minLength: 1, maxLength: 3 }),
      })
      .map((c) => c as Condition),
  },
);

const hold: fc.Arbitrary<Hold> = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map((samples) => ({ samples })),
  fc.integer({ min: 0, max: 5000 }).map((ms) => ({ ms })),
);

const spec: fc.Arbitrary<RuleSpec> = fc.oneof(
  { weight: 4, arbitrary: condition },
  {
    weight: 1,
    arbitrary: fc
      .record({
        direction: fc.constantFrom<('above' | 'below')[]>('above', 'below'),
        b: sortedPair,
      })
      .map(({ direction, b }) => ({
        kind: 'hysteresis' as const,
        direction,
        raiseAt: direction === 'above' ? b[1] : b[0],
        clearAt: direction === 'above' ? b[0] : b[1],
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ condition, raise: hold, clear: fc.option(hold, { nil: undefined }) })
      .map(({ condition, raise, clear }) =>
        clear
          ? { kind: 'debounce' as const, condition, raise, clear }
          : { kind: 'debounce' as const, condition, raise },
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 10_000 })
      .map((ms) => ({ kind: 'staleness' as const, ms })),
  },
);

export const DEVICES = ['d0', 'd1', 'd2'];
const SENSORS = ['temperature', 'humidity'] as const;

/** Rules r0..rN; some get a device override (same id and sensor, own semantics). */
export const ruleSetArb: fc.Arbitrary<RuleSet> = fc
  .array(
    fc.record({
      spec,
      sensor: fc.constantFrom(...SENSORS),
      override: fc.option(fc.record({ spec, devices: fc.subarray(DEVICES, { minLength: 1 }) }), {
        freq: 4,
        nil: undefined,
      }),
      generic: fc.boolean(),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((items) => {
    const rules: Rule[] = [];
    items.forEach((it, i) => {
      const header = { id: `r${i}`, sensor: it.sensor, severity: 'warning' as const };
      if (it.generic || !it.override) rules.push({ ...header, ...it.spec } as Rule);
      if (it.override)
        rules.push({ ...header, ...it.override.spec, devices: it.override.devices } as Rule);
    });
    return { version: 1 as const, rules };
  });

export type StreamStep = Reading | { tick: number };

/** Readings with mostly increasing, sometimes equal or earlier timestamps, and clock ticks. */
export const streamArb: fc.Arbitrary<StreamStep[]> = fc
  .array(
    fc.record({
      tick: fc.boolean(),
      device: fc.constantFrom(...DEVICES),
      sensor: fc.constantFrom(...SENSORS),
      dt: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 3000 }) },
        { weight: 1, arbitrary: fc.integer({ min: -2000, max: 0 }) },
      ),
      value: readingValue,
      late: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map((steps) => {
    let t = T0;
    return steps.map((s, i): StreamStep => {
      t += s.dt;
      // about one step in six is a clock tick
      if (s.tick && i % 3 === 0) return { tick: t + 5000 };
      const r: Reading = { deviceId: s.device, sensor: s.sensor, ts: t, value: s.value };
      if (s.late) r.late = true;
      return r;
    });
  });
