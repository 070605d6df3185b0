/** k6 options derived from a run config: one constant-VU scenario, thresholds, run tags. */
import { formatDuration, runTags, type RunConfig } from '@iotmon/load-profiles';
import type { Options } from 'k6/options';

export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

export function k6Options(config: RunConfig): Options {
  const thresholds: Record<string, string[]> = {};
  for (const [metric, exprs] of Object.entries(config.workload.thresholds)) {
    thresholds[metric] = [...exprs];
  }
  return {
    scenarios: {
      [config.workload.id]: {
        // A closed model with think time, as in the original evaluation.
        executor: 'constant-vus',
        vus: config.profile.vus,
        duration: formatDuration(config.profile.durationS),
        gracefulStop: '10s',
      },
    },
    thresholds,
    tags: runTags(config),
    summaryTrendStats: SUMMARY_TREND_STATS,
    setupTimeout: '300s',
  };
}
