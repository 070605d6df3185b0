/** The report's plots: per workload, latency and throughput over time and a latency histogram. */
import { createWait, WAITS } from '@iotmon/load-profiles';
import { histogram, logBins, timeSeries } from './analyze';
import type { RunData } from './read-results';
import { lineChart, type Series } from './svg';

export interface Plot {
  file: string;
  title: string;
  svg: string;
}

function label(run: RunData, runsOfWorkload: readonly RunData[]): string {
  const sameRunner = runsOfWorkload.every((r) => r.runner === run.runner);
  return sameRunner
    ? `${run.distribution} (${run.profile})`
    : `${run.runner} ${run.distribution} (${run.profile})`;
}

export function workloadPlots(workload: string, runs: readonly RunData[]): Plot[] {
  const withSamples = runs.filter((r) => r.samples.length);
  if (!withSamples.length) return [];
  const series = withSamples.map((r) => ({ run: r, ts: timeSeries(r) }));
  const latency: Series[] = series.map(({ run, ts }) => ({
    name: `${label(run, withSamples)} p95`,
    points: ts.filter((p) => p.rps > 0).map((p) => [p.t, p.p95] as const),
  }));
  const throughput: Series[] = series.map(({ run, ts }) => ({
    name: label(run, withSamples),
    points: ts.map((p) => [p.t, p.rps] as const),
  }));
  const errors = series
    .filter(({ ts }) => ts.some((p) => p.errors > 0))
    .map(({ run, ts }) => ({
      name: `${label(run, withSamples)} errors`,
      dashed: true,
      points: ts.map((p) => [p.t, p.errors] as const),
    }));
  const edges = logBins(withSamples);
  const hist: Series[] = withSamples.map((run) => ({
    name: label(run, withSamples),
    points: histogram(run, edges).map((b) => [Math.sqrt(b.lo * b.hi), b.share * 100] as const),
  }));
  return [
    {
      file: `latency-${workload}.svg`,
      title: `${workload}: p95 latency over time`,
      svg: lineChart({
        title: `${workload}: p95 latency per second`,
        xLabel: 'time since start (s)',
        yLabel: 'latency (ms)',
        series: latency,
      }),
    },
    {
      file: `throughput-${workload}.svg`,
      title: `${workload}: throughput over time`,
      svg: lineChart({
        title: `${workload}: requests per second${errors.length ? ' (dashed: failed)' : ''}`,
        xLabel: 'time since start (s)',
        yLabel: 'requests / s',
        series: [...throughput, ...errors],
      }),
    },
    {
      file: `histogram-${workload}.svg`,
      title: `${workload}: latency histogram`,
      svg: lineChart({
        title: `${workload}: latency distribution (log bins)`,
        xLabel: 'latency (ms, log scale)',
        yLabel: '% of requests',
        series: hist,
        logX: true,
        step: true,
      }),
    },
  ];
}

/** What the four think-time distributions look like (20,000 seeded draws each). */
export function waitsPlot(): Plot {
  const binMs = 100;
  const bins = 40;
  const series: Series[] = Object.entries(WAITS).map(([name, w]) => {
    const wait = createWait(w, `plot:${name}`);
    const counts = new Array<number>(bins).fill(0);
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor(wait() / binMs))]++;
    return { name, points: counts.map((c, i) => [(i + 0.5) * binMs, (100 * c) / n] as const) };
  });
  return {
    file: 'waits.svg',
    title: 'think-time distributions',
    svg: lineChart({
      title: 'Think time between iterations (mean 1 s for every distribution)',
      xLabel: 'wait (ms)',
      yLabel: '% of waits per 100 ms',
      series,
    }),
  };
}
