/**
 * The load matrix of the original evaluation as data: every wait distribution at 50, 500 and
 * 5,000 virtual users for 5, 10 and 15 minutes, plus short smoke variants for CI.
 */
import { createSampler, type DistributionKind, type DistributionSpec } from './distributions';
import { createRng } from './rng';

/** How long a virtual user waits between iterations: `max(0, sample) * unitMs` ms. */
export interface WaitSpec {
  distribution: DistributionSpec;
  unitMs: number;
}

/**
 * All four waits have a mean of 1 s, so runs differ only in the shape of the think time
 * (spread, tail, burstiness), not in the offered load. Poisson counts 100 ms ticks.
 */
export const WAITS: Readonly<Record<DistributionKind, WaitSpec>> = {
  normal: { distribution: { kind: 'normal', mean: 1, stddev: 0.25 }, unitMs: 1000 },
  poisson: { distribution: { kind: 'poisson', lambda: 10 }, unitMs: 100 },
  uniform: { distribution: { kind: 'uniform', min: 0.5, max: 1.5 }, unitMs: 1000 },
  exponential: { distribution: { kind: 'exponential', lambda: 1 }, unitMs: 1000 },
};

export interface LoadProfile {
  /** e.g. `poisson-500vu-10m`, `uniform-smoke`. */
  id: string;
  distribution: DistributionKind;
  wait: WaitSpec;
  vus: number;
  durationS: number;
  smoke: boolean;
}

export const VU_LEVELS = [50, 500, 5000] as const;
export const DURATION_MINUTES = [5, 10, 15] as const;
export const SMOKE_VUS = 50;
export const SMOKE_DURATION_S = 20;

export function profileId(distribution: DistributionKind, vus: number, durationS: number): string {
  return `${distribution}-${vus}vu-${formatDuration(durationS)}`;
}

const kinds = Object.keys(WAITS) as DistributionKind[];

/** The 36 full-size profiles (4 distributions x 3 VU levels x 3 durations). */
export const LOAD_MATRIX: readonly LoadProfile[] = kinds.flatMap((distribution) =>
  VU_LEVELS.flatMap((vus) =>
    DURATION_MINUTES.map((minutes) => ({
      id: profileId(distribution, vus, minutes * 60),
      distribution,
      wait: WAITS[distribution],
      vus,
      durationS: minutes * 60,
      smoke: false,
    })),
  ),
);

/** One 20 s, 50-VU profile per distribution. */
export const SMOKE_PROFILES: readonly LoadProfile[] = kinds.map((distribution) => ({
  id: `${distribution}-smoke`,
  distribution,
  wait: WAITS[distribution],
  vus: SMOKE_VUS,
  durationS: SMOKE_DURATION_S,
  smoke: true,
}));

export const ALL_PROFILES: readonly LoadProfile[] = [...SMOKE_PROFILES, ...LOAD_MATRIX];

export function findProfile(id: string): LoadProfile {
  const found = ALL_PROFILES.find((p) => p.id === id);
  if (!found) {
    throw new Error(`unknown profile "${id}"; known: ${ALL_PROFILES.map((p) => p.id).join(', ')}`);
  }
  return found;
}

/** A copy of `profile` with another VU count or duration (the id says so). */
export function withOverrides(
  profile: LoadProfile,
  overrides: { vus?: number; durationS?: number },
): LoadProfile {
  const vus = overrides.vus ?? profile.vus;
  const durationS = overrides.durationS ?? profile.durationS;
  if (vus === profile.vus && durationS === profile.durationS) return profile;
  if (!Number.isInteger(vus) || vus < 1) throw new RangeError(`vus must be >= 1, got ${vus}`);
  if (!(durationS > 0)) throw new RangeError(`duration must be > 0 s, got ${durationS}`);
  return { ...profile, id: profileId(profile.distribution, vus, durationS), vus, durationS };
}

/** A wait generator in milliseconds; each virtual user gets its own seed. */
export function createWait(wait: WaitSpec, seed: number | string): () => number {
  const sample = createSampler(wait.distribution, createRng(seed));
  return () => Math.max(0, sample()) * wait.unitMs;
}

/** Parses `20s`, `5m`, `1h30m`, `1500ms` or a plain number of seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(trimmed)) !== null) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== trimmed.length || total <= 0) {
    throw new RangeError(`not a duration: "${text}" (use e.g. 20s, 5m, 1h30m)`);
  }
  return total;
}

/** 20 -> `20s`, 300 -> `5m`, 90 -> `90s`: the form k6 accepts and ids use. */
export function formatDuration(seconds: number): string {
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  if (Number.isInteger(seconds)) return `${seconds}s`;
  return `${Math.round(seconds * 1000)}ms`;
}
