/**
 * Benchmark: json-rules-engine vs our per-reading and batch APIs on one generated stream,
 * plus a mixed stateful rule set, and codegen vs closure compilation.
 * Usage: npx nx run constraints:bench   (last line is the machine-readable summary)
 */
import { createEvaluator, type BackendKind, type Evaluator } from '../src/index';
import type { Reading, RuleSet } from '@iotmon/domain';
import { Engine } from 'json-rules-engine';

import {
  FOUR_THRESHOLDS,
  JRE_RULES,
  makeStream,
  MIXED_STATEFUL,
  toReadings,
  type Stream,
} from './stream';

const DEVICES = 1000;
const PER_READING = 1_000_000;
const BATCH = 4_000_000;
const JRE_READINGS = 10_000;
const REPS = 7;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** json-rules-engine is async per reading: a warm-up, then the median of three passes. */
async function jsonRulesEngine(readings: Reading[]): Promise<number> {
  const engine = new Engine(JRE_RULES);
  const pass = async (from: number, to: number) => {
    let events = 0;
    const t0 = performance.now();
    for (let i = from; i < to; i++) {
      const r = readings[i];
      events += (await engine.run({ sensor: r.sensor, value: r.value })).events.length;
    }
    return { events, rate: (to - from) / ((performance.now() - t0) / 1000) };
  };
  await pass(0, 2000);
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await pass(0, readings.length));
  const rate = median(runs.map((r) => r.rate));
  console.log(
    `json-rules-engine     ${fmt(rate).padStart(13)} readings/s  (median of 3; ${runs[0].events} violating readings per pass)`,
  );
  return rate;
}

/** Timed windows and GC events, to show that steady-state evaluation does not allocate. */
const timed: [number, number][] = [];
const gcs: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push(e.startTime);
}).observe({ entryTypes: ['gc'] });
const gcsDuringTimedPasses = () =>
  gcs.filter((t) => timed.some(([a, b]) => t >= a && t <= b)).length;

function stopwatch(t0: number, count: number): number {
  const t1 = performance.now();
  timed.push([t0, t1]);
  return count / ((t1 - t0) / 1000);
}

/** Median readings/s over REPS passes; timestamps move forward a stream span per pass. */
function perReading(
  set: RuleSet,
  backend: BackendKind,
  readings: Reading[],
  label: string,
): number {
  const ev = createEvaluator(set, { backend, initialDevices: DEVICES });
  const span = readings.length + 1;
  const rates: number[] = [];
  let transitions = 0;
  for (let rep = 0; rep < REPS; rep++) {
    if (rep > 0) for (const r of readings) r.ts += span;
    const t0 = performance.now();
    for (let i = 0; i < readings.length; i++) {
      const n = ev.evaluate(readings[i]);
      if (n > 0) transitions += n;
    }
    rates.push(stopwatch(t0, readings.length));
  }
  for (const r of readings) r.ts -= span * (REPS - 1);
  report(label, rates, transitions, ev);
  return median(rates);
}

function batch(set: RuleSet, backend: BackendKind, s: Stream, label: string): number {
  const ev = createEvaluator(set, { backend, initialDevices: DEVICES });
  for (const id of s.deviceIds) ev.deviceIndex(id);
  const span = s.length + 1;
  const rates: number[] = [];
  let transitions = 0;
  for (let rep = 0; rep < REPS; rep++) {
    if (rep > 0) for (let i = 0; i < s.length; i++) s.ts[i] += span;
    const t0 = performance.now();
    transitions += ev.evaluateBatch(s);
    rates.push(stopwatch(t0, s.length));
  }
  for (let i = 0; i < s.length; i++) s.ts[i] -= span * (REPS - 1);
  report(label, rates, transitions, ev);
  return median(rates);
}

let gcsReported = 0;
/** GC observer entries arrive asynchronously: yield, then count the new ones. */
async function measure(run: () => number): Promise<number> {
  const rate = run();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const n = gcsDuringTimedPasses() - gcsReported;
  gcsReported += n;
  console.log(`${''.padEnd(22)}${n} garbage collections during the timed passes`);
  return rate;
}

function report(label: string, rates: number[], transitions: number, ev: Evaluator): void {
  const st = ev.stats();
  const rejected = st.badValue + st.duplicate + st.outOfOrder + st.unknownDevice + st.unknownSensor;
  console.log(
    `${label.padEnd(22)}${fmt(median(rates)).padStart(13)} readings/s  (median of ${rates.length}, best ${fmt(Math.max(...rates))}; ${transitions} transitions, ${rejected} rejected)`,
  );
}

function compileTime(set: RuleSet, backend: BackendKind): number {
  const n = 200;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) createEvaluator(set, { backend });
  return ((performance.now() - t0) / n) * 1000;
}

async function main(): Promise<void> {
  const started = performance.now();
  const stream = makeStream(BATCH, DEVICES);
  const readings = toReadings(stream, PER_READING);
  console.log(
    `stream: ${fmt(BATCH)} readings (first ${fmt(PER_READING)} as Reading objects), ${DEVICES} devices, 4 sensors`,
  );
  console.log(`node ${process.version}; ${REPS} passes per figure\n`);

  const jre = await jsonRulesEngine(readings.slice(0, JRE_READINGS));
  const rows: Record<string, number> = {};
  // The default backend first: later evaluators make the shared call sites polymorphic.
  for (const backend of ['codegen', 'closure'] as const) {
    const key = (name: string) => `${name} ${backend}`;
    const fourPer = () => perReading(FOUR_THRESHOLDS, backend, readings, key('per-reading'));
    rows[key('four-threshold per-reading')] = await measure(fourPer);
    const fourBatch = () => batch(FOUR_THRESHOLDS, backend, stream, key('batch'));
    rows[key('four-threshold batch')] = await measure(fourBatch);
    const mixedPer = () => perReading(MIXED_STATEFUL, backend, readings, key('mixed per-reading'));
    rows[key('mixed per-reading')] = await measure(mixedPer);
    const mixedBatch = () => batch(MIXED_STATEFUL, backend, stream, key('mixed batch'));
    rows[key('mixed batch')] = await measure(mixedBatch);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  const evaluations = 4 * REPS * (PER_READING + BATCH);
  console.log(
    `\ngarbage collections during ${fmt(evaluations)} timed evaluations: ${gcsDuringTimedPasses()}`,
  );
  console.log('\ncompile time per rule set (µs):');
  for (const [name, set] of [
    ['four thresholds', FOUR_THRESHOLDS],
    ['mixed stateful', MIXED_STATEFUL],
  ] as const) {
    console.log(
      `  ${name.padEnd(16)} codegen ${compileTime(set, 'codegen').toFixed(1)}  closure ${compileTime(set, 'closure').toFixed(1)}`,
    );
  }
  const chosen = createEvaluator(FOUR_THRESHOLDS).backend;
  const perReadingRate = rows[`four-threshold per-reading ${chosen}`];
  const batchRate = rows[`four-threshold batch ${chosen}`];
  const mixedRate = rows[`mixed per-reading ${chosen}`];
  console.log(
    `\ndefault backend: ${chosen}; codegen/closure per-reading: ${(rows['four-threshold per-reading codegen'] / rows['four-threshold per-reading closure']).toFixed(2)}x, batch: ${(rows['four-threshold batch codegen'] / rows['four-threshold batch closure']).toFixed(2)}x, mixed: ${(rows['mixed per-reading codegen'] / rows['mixed per-reading closure']).toFixed(2)}x`,
  );
  console.log(
    `targets: per-reading >= 1000x json-rules-engine, batch >= 100,000,000/s, mixed >= 20,000,000/s; bench took ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(
    `per_reading_vs_json_rules_engine=${(perReadingRate / jre).toFixed(1)} batch_readings_per_s=${Math.round(batchRate)} mixed_per_reading_per_s=${Math.round(mixedRate)}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
