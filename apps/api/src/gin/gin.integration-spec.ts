/** The Gin-compatible routes answer with the original's shapes, field names and statuses. */
import { AC_STATUSES } from '@iotmon/persistence';
import { startApi, type ApiHarness } from '../testing/api-harness';
import recorded from './fixtures/recorded-examples.json';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Same keys and value types, recursively (values themselves differ run to run). */
function shapeOf(v: Json): unknown {
  if (Array.isArray(v)) return v.length ? [shapeOf(v[0])] : [];
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shapeOf(v[k])]),
    );
  }
  return v === null ? 'null' : typeof v;
}

describe('Gin-compatible routes', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ INGEST_MQTT: 'false', GIN_ROUTES_OPEN: 'true' });
  });
  afterAll(() => h.close());

  const examples = recorded as unknown as Record<
    string,
    { status: number; body: Json; headers?: string[] }
  >;

  it.each([
    'GET /',
    'GET /iot/create_table',
    'GET /iot/create?n=3',
    'GET /iot?limit=2&offset=0',
    'GET /iot?limit=abc',
  ])('%s matches the recorded example', async (key) => {
    const ex = examples[key];
    const res = await h.api.inject({ method: 'GET', url: key.slice(4) });
    expect(res.statusCode).toBe(ex.status);
    expect(shapeOf(res.json())).toEqual(shapeOf(ex.body));
    for (const header of ex.headers ?? []) expect(res.headers[header]).toBeDefined();
  });

  it('creates exactly n rows with valid values, and pages them', async () => {
    expect((await h.api.inject({ url: '/iot/create' })).json()).toEqual({
      Status: 201,
      Message: 'Created 100 Air Conditioner records successfully',
    });
    const list = await h.api.inject({ url: '/iot' });
    const body = list.json<{ pod_name: string; result: { id: number; status: string }[] }>();
    expect(body.result).toHaveLength(103);
    expect(list.headers['x-pod-name']).toBe('pod-test');
    expect(list.headers['x-node-name']).toBe('node-test');
    expect(body.result.every((r) => (AC_STATUSES as readonly string[]).includes(r.status))).toBe(
      true,
    );
    const page = await h.api.inject({ url: '/iot?limit=10&offset=100' });
    expect(page.json<{ result: unknown[] }>().result).toHaveLength(3);
  });

  it.each([
    '/iot?limit=-1',
    '/iot?limit=1;DROP TABLE ac_sensor',
    '/iot?offset=0 OR 1=1',
    '/iot?limit=99999999999',
    '/iot/create?n=0',
    '/iot/create?n=1e9',
    "/iot/create?n=1'--",
  ])('refuses %s in the original error body, naming the field', async (url) => {
    const res = await h.api.inject({ url });
    // The original answered a failed list 404 "Resource Not Found", a failed create 400.
    const status = url.startsWith('/iot/create') ? 400 : 404;
    expect(res.statusCode).toBe(status);
    const body = res.json<{ Status: number; Type: string; Message: string[]; PodName: string }>();
    expect(body.Status).toBe(status);
    expect(body.Type).toBe(status === 404 ? 'Resource Not Found' : 'Database Operation Error');
    expect(body.PodName).toBe('pod-test');
    expect(body.Message.join(' ')).toMatch(/limit|offset|\bn\b/);
    expect((await h.api.inject({ url: '/iot?limit=1' })).statusCode).toBe(200);
  });
});
