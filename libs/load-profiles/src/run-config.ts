/**
 * One run's settings from environment-style variables. k6 passes `__ENV` and the Node runner
 * passes `process.env` plus its flags, so both read the same names with the same defaults.
 */
import { findProfile, parseDuration, withOverrides, type LoadProfile } from './profiles';
import { DEFAULT_SETTINGS, findWorkload, type Workload, type WorkloadSettings } from './workloads';

export interface RunConfig {
  baseUrl: string;
  apiKey: string | undefined;
  workload: Workload;
  profile: LoadProfile;
  /** Each VU's waits and payloads are seeded with `${seed}:${vu}`. */
  seed: string;
  settings: WorkloadSettings;
}

/** Variables read, with what they mean; printed by the runner's --help. */
export const RUN_ENV_VARS: Readonly<Record<string, string>> = {
  BASE_URL: 'api base URL (default http://localhost:3000)',
  API_KEY: 'x-api-key for write routes (admin or device key)',
  WORKLOAD:
    'readings-post | readings-get | readings-aggregate | devices-crud | iot-list | iot-create',
  PROFILE: 'load profile id, e.g. normal-smoke, poisson-500vu-10m (default normal-smoke)',
  VUS: 'override the profile VU count',
  DURATION: 'override the profile duration (20s, 5m, ...)',
  SEED: 'random seed (default 1)',
  DEVICES: 'simulated device pool (default: the VU count, at least 10)',
  BATCH_SIZE: 'readings per POST /readings (default 100)',
  PAGE_SIZE: 'limit for GET /iot and GET /readings (default 500)',
  CREATE_N: 'n for GET /iot/create (default 500)',
};

type Env = Readonly<Record<string, string | undefined>>;

function positiveInt(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export function resolveRunConfig(env: Env): RunConfig {
  const baseUrl = (env['BASE_URL'] || 'http://localhost:3000').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(baseUrl))
    throw new RangeError(`BASE_URL must be an http(s) URL, got "${baseUrl}"`);
  const duration = env['DURATION'];
  const profile = withOverrides(findProfile(env['PROFILE'] || 'normal-smoke'), {
    vus: positiveInt(env, 'VUS'),
    durationS: duration ? parseDuration(duration) : undefined,
  });
  return {
    baseUrl,
    apiKey: env['API_KEY'] || undefined,
    workload: findWorkload(env['WORKLOAD'] || 'readings-post'),
    profile,
    seed: env['SEED'] || '1',
    settings: {
      devices: positiveInt(env, 'DEVICES') ?? Math.max(10, profile.vus),
      batchSize: positiveInt(env, 'BATCH_SIZE') ?? DEFAULT_SETTINGS.batchSize,
      pageSize: positiveInt(env, 'PAGE_SIZE') ?? DEFAULT_SETTINGS.pageSize,
      createN: positiveInt(env, 'CREATE_N') ?? DEFAULT_SETTINGS.createN,
    },
  };
}

/** The tags every sample of a run carries, so results group by scenario and distribution. */
export function runTags(config: RunConfig): Record<string, string> {
  return {
    workload: config.workload.id,
    profile: config.profile.id,
    distribution: config.profile.distribution,
  };
}
