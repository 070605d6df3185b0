/**
 * Runs the bundled k6 scenarios in Node with recording stand-ins for the k6 modules, so the
 * bundles are checked without a k6 binary: options, requests, headers, and that the think
 * times are exactly those of the shared samplers.
 */
import { createWait, findProfile, WORKLOAD_IDS } from '@iotmon/load-profiles';
import { buildSync } from 'esbuild';
import { basename } from 'node:path';

import { bundleOptions, scenarioEntries } from '../build.cjs';

interface Call {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
  tags: Record<string, string>;
}

interface Loaded {
  options: {
    scenarios: Record<string, { executor: string; vus: number; duration: string }>;
    thresholds: Record<string, string[]>;
    tags: Record<string, string>;
  };
  setup(): void;
  iteration(): void;
  calls: Call[];
  sleeps: number[];
  checks: boolean[];
}

const bundles = new Map<string, string>();
function bundle(entry: string): string {
  if (!bundles.has(entry)) {
    const out = buildSync({ ...bundleOptions([entry], { format: 'cjs' }), write: false });
    bundles.set(entry, out.outputFiles![0].text);
  }
  return bundles.get(entry)!;
}

const entry = (name: string) => scenarioEntries().find((e) => basename(e, '.ts') === name)!;

function load(
  name: string,
  env: Record<string, string>,
  respond: (method: string, url: string) => { status: number; body?: unknown } = (m) => ({
    status: m === 'POST' ? 201 : 200,
  }),
): Loaded {
  const calls: Call[] = [];
  const sleeps: number[] = [];
  const checks: boolean[] = [];
  let iteration = 0;
  const http = {
    expectedStatuses: (...s: number[]) => ({ expected: s }),
    request(
      method: string,
      url: string,
      body: string | null,
      params: { headers: Record<string, string>; tags: Record<string, string> },
    ) {
      calls.push({ method, url, body, headers: params.headers, tags: params.tags });
      const r = respond(method, url);
      return { status: r.status, json: () => r.body };
    },
  };
  const modules: Record<string, unknown> = {
    k6: {
      check: (v: unknown, sets: Record<string, (v: unknown) => boolean>) => {
        for (const f of Object.values(sets)) checks.push(f(v));
        return true;
      },
      sleep: (s: number) => sleeps.push(s),
    },
    'k6/http': { __esModule: true, default: http },
    'k6/execution': {
      __esModule: true,
      default: {
        vu: {
          idInTest: 1,
          get iterationInScenario() {
            return iteration;
          },
        },
      },
    },
  };
  const mod = { exports: {} as Record<string, unknown> };
  const req = (id: string) => {
    if (!(id in modules)) throw new Error(`bundle requires ${id}`);
    return modules[id];
  };
  const console = { warn: () => undefined, log: () => undefined };
  new Function('require', 'module', 'exports', '__ENV', 'console', bundle(entry(name)))(
    req,
    mod,
    mod.exports,
    env,
    console,
  );
  const exported = mod.exports as { options: Loaded['options']; setup(): void; default(): void };
  return {
    options: exported.options,
    setup: exported.setup,
    iteration: () => {
      exported.default();
      iteration++;
    },
    calls,
    sleeps,
    checks,
  };
}

const ENV = {
  BASE_URL: 'http://api.test:3000',
  API_KEY: 'secret',
  PROFILE: 'poisson-smoke',
  SEED: '9',
};

describe('k6 bundles', () => {
  it('exist for every workload plus the generic loadtest', () => {
    expect(
      scenarioEntries()
        .map((e) => basename(e, '.ts'))
        .sort(),
    ).toEqual([...WORKLOAD_IDS, 'loadtest'].sort());
  });

  it.each(WORKLOAD_IDS.map((w) => [w]))(
    '%s: options come from the profile and workload data',
    (w) => {
      const { options } = load(w, ENV);
      expect(options.scenarios).toEqual({
        [w]: expect.objectContaining({ executor: 'constant-vus', vus: 50, duration: '20s' }),
      });
      expect(options.thresholds['http_req_failed']).toEqual(['rate<0.01']);
      expect(options.thresholds['http_req_duration']).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^p\(95\)</),
          expect.stringMatching(/^p\(99\)</),
        ]),
      );
      expect(options.tags).toEqual({
        workload: w,
        profile: 'poisson-smoke',
        distribution: 'poisson',
      });
    },
  );

  it('honours VUS, DURATION and WORKLOAD overrides in the generic script', () => {
    const { options } = load('loadtest', {
      ...ENV,
      WORKLOAD: 'iot-create',
      VUS: '500',
      DURATION: '10m',
    });
    expect(options.scenarios['iot-create']).toMatchObject({ vus: 500, duration: '10m' });
  });

  it('posts readings with the API key and sleeps the shared sampler waits', () => {
    const s = load('readings-post', ENV);
    for (let i = 0; i < 20; i++) s.iteration();
    expect(s.calls).toHaveLength(20);
    for (const c of s.calls) {
      expect(c).toMatchObject({ method: 'POST', url: 'http://api.test:3000/readings' });
      expect(c.headers['x-api-key']).toBe('secret');
      expect(c.tags).toEqual({ name: 'POST /readings' });
      expect(JSON.parse(c.body!)).toHaveLength(100);
    }
    const wait = createWait(findProfile('poisson-smoke').wait, '9:1');
    expect(s.sleeps).toEqual(Array.from({ length: 20 }, () => wait() / 1000));
    expect(s.checks.every(Boolean)).toBe(true);
  });

  it('does not send the API key to read routes', () => {
    const s = load('iot-list', ENV);
    s.iteration();
    expect(s.calls[0]).toMatchObject({
      method: 'GET',
      url: 'http://api.test:3000/iot?limit=500&offset=0',
    });
    expect(s.calls[0].headers['x-api-key']).toBeUndefined();
  });

  it('runs the setup requests of a workload', () => {
    const s = load('iot-list', ENV);
    s.setup();
    expect(s.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET http://api.test:3000/iot/create_table',
      'GET http://api.test:3000/iot/create?n=500',
    ]);
  });

  it('chains device CRUD through the id the create step captured', () => {
    const s = load('devices-crud', ENV, (method) =>
      method === 'POST'
        ? { status: 201, body: { id: 'dev-42' } }
        : { status: method === 'DELETE' ? 204 : 200 },
    );
    s.iteration();
    expect(s.calls.map((c) => `${c.method} ${c.url.replace('http://api.test:3000', '')}`)).toEqual([
      'POST /devices',
      'GET /devices/dev-42',
      'PATCH /devices/dev-42',
      'GET /devices?limit=50',
      'DELETE /devices/dev-42',
    ]);
  });

  it('records a failed check when a status is unexpected', () => {
    const s = load('iot-create', ENV, () => ({ status: 500 }));
    s.iteration();
    expect(s.checks).toEqual([false]);
  });
});
