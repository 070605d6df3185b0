/**
 * The k6 side of a workload: setup, one iteration, think time. Requests come from the shared
 * workload specs in @iotmon/load-profiles, waits from its seeded samplers.
 */
import {
  createRng,
  createWait,
  resolveRunConfig,
  type RequestSpec,
  type Rng,
  type RunConfig,
  type StepContext,
} from '@iotmon/load-profiles';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import type { Options } from 'k6/options';
import { k6Options } from './options';

export interface K6Script {
  config: RunConfig;
  options: Options;
  setup(): void;
  iteration(): void;
}

/** Builds the script for `workloadId`, or for `__ENV.WORKLOAD` when none is given. */
export function createScript(
  env: Record<string, string | undefined>,
  workloadId?: string,
): K6Script {
  const config = resolveRunConfig(workloadId ? { ...env, WORKLOAD: workloadId } : env);
  // Module scope is per VU in k6, so this state is too.
  let state: { rng: Rng; wait: () => number } | undefined;

  function send(req: RequestSpec, keepBody: boolean): RefinedResponse<ResponseType> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (req.auth && config.apiKey) headers['x-api-key'] = config.apiKey;
    return http.request(
      req.method,
      config.baseUrl + req.path,
      req.body === undefined ? null : JSON.stringify(req.body),
      {
        headers,
        tags: { name: req.name },
        responseCallback: http.expectedStatuses(...req.expect),
        responseType: keepBody ? 'text' : 'none',
      },
    );
  }

  return {
    config,
    options: k6Options(config),
    setup() {
      for (const req of config.workload.setup(config.settings, Date.now())) {
        const res = send(req, false);
        if (!req.expect.includes(res.status)) {
          console.warn(`setup: ${req.name} answered ${res.status}; continuing`);
        }
      }
    },
    iteration() {
      const vu = exec.vu.idInTest;
      state ??= {
        rng: createRng(`${config.seed}:${vu}:payload`),
        wait: createWait(config.profile.wait, `${config.seed}:${vu}`),
      };
      const ctx: StepContext = {
        vu,
        iteration: exec.vu.iterationInScenario,
        rng: state.rng,
        now: Date.now(),
        vars: {},
        settings: config.settings,
      };
      for (const step of config.workload.steps) {
        const req = step.build(ctx);
        if (req === null) continue;
        const res = send(req, step.capture !== undefined);
        const ok = req.expect.includes(res.status);
        check(res, { [`${req.name}: expected status`]: () => ok });
        if (ok && step.capture) {
          try {
            step.capture(res.json(), ctx);
          } catch {
            // A body that is not JSON captures nothing; later steps skip.
          }
        }
      }
      sleep(state.wait() / 1000);
    },
  };
}
