/**
 * The end-of-run summary in the shape of k6's `--summary-export` file (legacy format, which
 * the report also reads from real k6 runs). As in k6's export, a threshold's boolean is
 * `true` when the threshold FAILED. The `loadgen` key is ours and says what ran.
 */
import { percentilesUsed, thresholdHolds, type ThresholdSet } from '@iotmon/load-profiles';
import { createHash } from 'node:crypto';
import type { MetricsRecorder } from './metrics';

export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

export interface CheckCount {
  passes: number;
  fails: number;
}

export interface RunMeta {
  runner: 'loadgen';
  workload: string;
  profile: string;
  distribution: string;
  vus: number;
  durationS: number;
  seed: string;
  target: string;
  startedAt: string;
}

export interface SummaryExport {
  root_group: {
    name: string;
    path: string;
    id: string;
    groups: Record<string, never>;
    checks: Record<
      string,
      { name: string; path: string; id: string; passes: number; fails: number }
    >;
  };
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, Record<string, number | Record<string, boolean>>>;
  loadgen: RunMeta;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export interface SummaryResult {
  summary: SummaryExport;
  /** Threshold expressions that failed, as `metric: expr`. */
  failedThresholds: string[];
}

export function buildSummary(
  recorder: MetricsRecorder,
  checks: ReadonlyMap<string, CheckCount>,
  thresholds: ThresholdSet,
  durationMs: number,
  meta: RunMeta,
): SummaryResult {
  const durationS = durationMs / 1000;
  const percentiles = [90, 95, 99, ...percentilesUsed(thresholds)];
  const metrics: SummaryExport['metrics'] = {};
  const failedThresholds: string[] = [];
  let checkPasses = 0;
  let checkFails = 0;
  for (const c of checks.values()) {
    checkPasses += c.passes;
    checkFails += c.fails;
  }
  const allStats: Record<string, Record<string, number>> = {};
  for (const name of recorder.names())
    allStats[name] = recorder.stats(name, durationS, percentiles);
  if (checks.size) {
    const total = checkPasses + checkFails;
    allStats['checks'] = {
      passes: checkPasses,
      fails: checkFails,
      value: total ? checkPasses / total : 0,
    };
    allStats['checks']['rate'] = allStats['checks']['value'];
  }
  for (const [name, stats] of Object.entries(allStats)) {
    const exported: Record<string, number | Record<string, boolean>> = {};
    for (const [k, v] of Object.entries(stats)) {
      // `rate` is the threshold key of a Rate metric; the export calls it `value`.
      const isRateMetric = 'passes' in stats;
      if (k === 'rate' && isRateMetric) continue;
      exported[k] = v;
    }
    const exprs = thresholds[name];
    if (exprs?.length) {
      const results: Record<string, boolean> = {};
      for (const e of exprs) {
        const failed = !thresholdHolds(e, stats);
        results[e] = failed;
        if (failed) failedThresholds.push(`${name}: ${e}`);
      }
      exported['thresholds'] = results;
    }
    metrics[name] = exported;
  }
  // A threshold on a metric that never got a sample fails (k6 would report it too).
  for (const [name, exprs] of Object.entries(thresholds)) {
    if (!(name in allStats)) {
      for (const e of exprs) failedThresholds.push(`${name}: ${e} (no samples)`);
      metrics[name] = { thresholds: Object.fromEntries(exprs.map((e) => [e, true])) };
    }
  }
  const checkEntries = [...checks.entries()].map(([name, c]) => [
    name,
    { name, path: `::${name}`, id: md5(`::${name}`), passes: c.passes, fails: c.fails },
  ]);
  return {
    summary: {
      root_group: {
        name: '',
        path: '',
        id: md5(''),
        groups: {},
        checks: Object.fromEntries(checkEntries),
      },
      options: { summaryTrendStats: SUMMARY_TREND_STATS, summaryTimeUnit: '', noColor: false },
      state: {
        isStdOutTTY: Boolean(process.stdout.isTTY),
        isStdErrTTY: Boolean(process.stderr.isTTY),
        testRunDurationMs: durationMs,
      },
      metrics,
      loadgen: meta,
    },
    failedThresholds,
  };
}
