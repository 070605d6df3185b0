/**
 * Which k6 executor a script's options (and k6-style CLI overrides) amount to, by k6's own
 * shortcut rules: `iterations` -> shared-iterations (with `duration` as its maxDuration),
 * `stages` -> ramping-vus, `duration` -> constant-vus, nothing -> one VU, one iteration.
 */
import { parseDuration } from '@iotmon/load-profiles';

export interface Stage {
  durationMs: number;
  target: number;
}

export type ExecutionPlan =
  | { executor: 'shared-iterations'; vus: number; iterations: number; maxDurationMs: number }
  | { executor: 'constant-vus'; vus: number; durationMs: number }
  | { executor: 'ramping-vus'; startVus: number; stages: Stage[] };

/** The option keys this runner reads; anything else in `options` is ignored as k6 would not. */
export interface K6Options {
  vus?: number;
  duration?: string;
  iterations?: number;
  stages?: { duration: string; target: number }[];
  scenarios?: unknown;
  thresholds?: Record<string, (string | { threshold: string })[]>;
}

/** The CLI overrides k6 has (`--vus`, `--duration`, `--iterations`): they win over the script. */
export interface PlanOverrides {
  vus?: number;
  duration?: string;
  iterations?: number;
}

/** k6's default maxDuration of shared-iterations. */
const DEFAULT_MAX_DURATION_MS = 10 * 60_000;

const ms = (d: string) => Math.round(parseDuration(d) * 1000);

export function executionPlan(options: K6Options, overrides: PlanOverrides = {}): ExecutionPlan {
  if (options.scenarios !== undefined) {
    throw new Error(
      'options.scenarios is not supported by this runner (use vus/duration/iterations/stages)',
    );
  }
  // As k6: a duration or iteration count given on the command line discards all of the
  // script's shortcut options (duration, iterations, stages), not just the one it names.
  const cli = overrides.duration !== undefined || overrides.iterations !== undefined;
  const shortcuts: { duration?: string; iterations?: number; stages?: K6Options['stages'] } = cli
    ? overrides
    : options;
  const vus = overrides.vus ?? options.vus ?? 1;
  const { iterations, duration } = shortcuts;
  if (iterations !== undefined) {
    return {
      executor: 'shared-iterations',
      vus: Math.min(vus, iterations),
      iterations,
      maxDurationMs: duration !== undefined ? ms(duration) : DEFAULT_MAX_DURATION_MS,
    };
  }
  if (shortcuts.stages?.length) {
    return {
      executor: 'ramping-vus',
      startVus: vus,
      stages: shortcuts.stages.map((s) => ({ durationMs: ms(s.duration), target: s.target })),
    };
  }
  if (duration !== undefined) return { executor: 'constant-vus', vus, durationMs: ms(duration) };
  return {
    executor: 'shared-iterations',
    vus: 1,
    iterations: 1,
    maxDurationMs: DEFAULT_MAX_DURATION_MS,
  };
}

/** The most VUs the plan ever runs (one worker thread each). */
export function maxVus(plan: ExecutionPlan): number {
  if (plan.executor !== 'ramping-vus') return plan.vus;
  return Math.max(plan.startVus, ...plan.stages.map((s) => s.target));
}

/** How long the plan runs at most. */
export function planDurationMs(plan: ExecutionPlan): number {
  if (plan.executor === 'shared-iterations') return plan.maxDurationMs;
  if (plan.executor === 'constant-vus') return plan.durationMs;
  return plan.stages.reduce((t, s) => t + s.durationMs, 0);
}

/** Active VUs at `elapsedMs` of a ramping-vus plan: linear between stage targets, as k6. */
export function rampingTarget(
  plan: Extract<ExecutionPlan, { executor: 'ramping-vus' }>,
  elapsedMs: number,
): number {
  let from = plan.startVus;
  let t = elapsedMs;
  for (const s of plan.stages) {
    if (t <= s.durationMs) {
      return Math.round(from + ((s.target - from) * t) / Math.max(1, s.durationMs));
    }
    t -= s.durationMs;
    from = s.target;
  }
  return from;
}

/** Threshold expressions as strings (k6 also takes `{ threshold, abortOnFail }`). */
export function thresholdStrings(options: K6Options): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [metric, list] of Object.entries(options.thresholds ?? {})) {
    out[metric] = list.map((t) => (typeof t === 'string' ? t : t.threshold));
  }
  return out;
}
