import { BUILT_IN_CATALOGUE, decodeReadings } from '@iotmon/domain';
import { createRng } from './rng';
import {
  DEFAULT_SETTINGS,
  findWorkload,
  WORKLOAD_IDS,
  WORKLOADS,
  type RequestSpec,
  type StepContext,
} from './workloads';

const NOW = Date.UTC(2025, 0, 1, 12);

function context(overrides: Partial<StepContext> = {}): StepContext {
  return {
    vu: 3,
    iteration: 7,
    rng: createRng(1),
    now: NOW,
    vars: {},
    settings: { ...DEFAULT_SETTINGS, devices: 10 },
    ...overrides,
  };
}

function requests(id: string, ctx = context()): RequestSpec[] {
  return findWorkload(id)
    .steps.map((s) => s.build(ctx))
    .filter((r): r is RequestSpec => r !== null);
}

describe('workloads', () => {
  it('covers every route of the issue', () => {
    const names = WORKLOAD_IDS.flatMap((id) => {
      const ctx = context({ vars: { id: 'x' } });
      return requests(id, ctx).map((r) => r.name);
    });
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /readings',
        'GET /readings',
        'GET /readings/aggregate',
        'POST /devices',
        'GET /devices/:id',
        'PATCH /devices/:id',
        'DELETE /devices/:id',
        'GET /iot',
        'GET /iot/create',
      ]),
    );
  });

  it('posts a batch the domain decoder accepts, for the VU own device', () => {
    const [req] = requests('readings-post');
    expect(req).toMatchObject({ method: 'POST', path: '/readings', auth: true });
    const batch = req.body as { deviceId: string; seq: number }[];
    expect(batch).toHaveLength(DEFAULT_SETTINGS.batchSize);
    expect(new Set(batch.map((r) => r.deviceId))).toEqual(new Set(['loadgen-0002']));
    const decoded = decodeReadings(JSON.stringify(batch), BUILT_IN_CATALOGUE);
    expect(decoded.errors).toEqual([]);
    expect(decoded.readings).toHaveLength(batch.length);
    expect(batch[0].seq).toBe(7 * DEFAULT_SETTINGS.batchSize);
  });

  it('asks GET /iot/create for n=500 and GET /iot with a limit', () => {
    expect(requests('iot-create')[0].path).toBe('/iot/create?n=500');
    expect(requests('iot-list')[0].path).toBe('/iot?limit=500&offset=0');
  });

  it('builds aggregate queries with a bucket, a function and an ISO range', () => {
    const url = new URL(`http://x${requests('readings-aggregate')[0].path}`);
    expect(['10s', '1m', '1h']).toContain(url.searchParams.get('bucket'));
    expect(['avg', 'min', 'max', 'count', 'last']).toContain(url.searchParams.get('fn'));
    expect(url.searchParams.get('to')).toBe(new Date(NOW).toISOString());
  });

  it('skips the device CRUD steps that need an id when create captured none', () => {
    const ctx = context();
    const [create, ...rest] = WORKLOADS['devices-crud'].steps;
    create.capture?.({ error: 'nope' }, ctx);
    expect(rest.map((s) => s.build(ctx)?.name ?? null)).toEqual([null, null, 'GET /devices', null]);
    create.capture?.({ id: 'dev-1' }, ctx);
    expect(rest[0].build(ctx)?.path).toBe('/devices/dev-1');
  });

  it('registers the device pool in chunks and seeds readings for reads', () => {
    const settings = { ...DEFAULT_SETTINGS, devices: 1200 };
    const reg = WORKLOADS['readings-post'].setup(settings, NOW);
    expect(reg.map((r) => (r.body as unknown[]).length)).toEqual([500, 500, 200]);
    const seed = WORKLOADS['readings-get'].setup({ ...DEFAULT_SETTINGS, devices: 2 }, NOW);
    const posts = seed.filter((r) => r.path === '/readings');
    expect(posts).toHaveLength(2);
    expect(decodeReadings(JSON.stringify(posts[0].body), BUILT_IN_CATALOGUE).errors).toEqual([]);
  });

  it('rejects unknown workloads by name', () => {
    expect(() => findWorkload('readings-delete')).toThrow(/unknown workload/);
  });
});
