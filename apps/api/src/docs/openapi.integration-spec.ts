/**
 * /docs, /docs-json and /metrics; the committed apps/api/openapi.json must equal the spec the
 * code builds. `npx nx run api:openapi` rewrites it (UPDATE_OPENAPI=1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApi, type ApiHarness } from '../testing/api-harness';
import { buildOpenApiDocument } from './openapi';

const SPEC = join(__dirname, '../../openapi.json');

describe('OpenAPI and metrics', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ INGEST_MQTT: 'false' });
  });
  afterAll(() => h.close());

  it('commits the current spec (run `npx nx run api:openapi` after changing routes or DTOs)', () => {
    const built = `${JSON.stringify(buildOpenApiDocument(h.api), null, 2)}\n`;
    if (process.env['UPDATE_OPENAPI'] === '1') writeFileSync(SPEC, built);
    expect(JSON.parse(readFileSync(SPEC, 'utf8'))).toEqual(JSON.parse(built));
  });

  it('serves OpenAPI 3 at /docs-json covering every route, and Swagger UI at /docs', async () => {
    const res = await h.api.inject({ headers: h.viewer, url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    const ops = Object.entries(doc.paths).flatMap(([p, m]) =>
      Object.keys(m).map((verb) => `${verb.toUpperCase()} ${p}`),
    );
    for (const op of [
      'GET /',
      'GET /iot',
      'GET /iot/create',
      'GET /iot/create_table',
      'POST /devices',
      'GET /devices',
      'GET /devices/{id}',
      'PATCH /devices/{id}',
      'DELETE /devices/{id}',
      'POST /readings',
      'GET /readings',
      'GET /readings/aggregate',
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
    ]) {
      expect(ops).toContain(op);
    }
    const ui = await h.api.inject({ headers: h.viewer, url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger-ui-bundle.js');
    const bundle = await h.api.inject({ headers: h.viewer, url: '/docs/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });

  it('serves /metrics as Prometheus text with the api series', async () => {
    await h.api.inject({ headers: h.viewer, url: '/readings?limit=1' });
    const res = await h.api.inject({ headers: h.viewer, url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = res.body.split('\n').filter((l) => l && !l.startsWith('#'));
    // name{labels} value [timestamp]
    const sample =
      /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?([0-9.e+-]+|NaN|\+Inf|-Inf)( \d+)?$/;
    expect(lines.filter((l) => !sample.test(l))).toEqual([]);
    for (const name of [
      'http_request_duration_seconds_bucket',
      'db_pool_connections',
      'readings_batch_rows_bucket',
      'process_cpu_seconds_total',
    ]) {
      expect(res.body).toContain(name);
    }
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/readings",status="200"\}/,
    );
  });

  it('compresses only large bodies, and only when asked', async () => {
    const small = await h.api.inject({
      url: '/health/live',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(small.headers['content-encoding']).toBeUndefined();
    const big = await h.api.inject({
      url: '/docs-json',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(big.headers['content-encoding']).toBe('gzip');
    const plain = await h.api.inject({ headers: h.viewer, url: '/docs-json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
  });
});
