/**
 * Gin's router semantics on the original's routes, checked against what gin v1.8.1,
 * gin-contrib/cors v1.4.0 and gin-contrib/gzip do (the versions in the original's go.mod):
 * trailing-slash redirects, the text 404 with no 405, cors.Default() and gzip on request.
 */
import { gunzipSync } from 'node:zlib';
import { admin, startApi, type ApiHarness } from '../testing/api-harness';

describe('Gin router semantics (GIN_LIST_PATH=/iot, the default)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ INGEST_MQTT: 'false', GIN_ROUTES_OPEN: 'true' });
  });
  afterAll(() => h.close());

  describe('RedirectTrailingSlash', () => {
    it('answers GET /iot/ with 301 to /iot, keeping the query, as Go http.Redirect does', async () => {
      const res = await h.api.inject({ url: '/iot/?limit=2&offset=0' });
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe('/iot?limit=2&offset=0');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toBe('<a href="/iot?limit=2&amp;offset=0">Moved Permanently</a>.\n\n');
      // A redirect is answered before any middleware runs: no CORS headers on it.
      const cors = await h.api.inject({ url: '/iot/', headers: { origin: 'http://other.test' } });
      expect(cors.statusCode).toBe(301);
      expect(cors.headers['access-control-allow-origin']).toBeUndefined();
    });

    it.each([
      ['/iot/create/', '/iot/create'],
      ['/iot/create_table/', '/iot/create_table'],
      ['/devices/d-1/', '/devices/d-1'],
      ['/readings/aggregate/', '/readings/aggregate'],
    ])('GET %s -> 301 %s', async (from, to) => {
      const res = await h.api.inject({ url: from });
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe(to);
    });

    it('answers other methods with 307 and no body, so the client repeats the method', async () => {
      const res = await h.api.inject({
        method: 'POST',
        url: '/readings/?partial=true',
        headers: admin,
        payload: [],
      });
      expect(res.statusCode).toBe(307);
      expect(res.headers.location).toBe('/readings?partial=true');
      expect(res.body).toBe('');
      expect(res.headers['content-type']).toBeUndefined();
    });

    it('does not redirect a path that matches nothing either way', async () => {
      expect((await h.api.inject({ url: '/nothing/' })).statusCode).toBe(404);
      expect((await h.api.inject({ url: '/iot/nothing/' })).statusCode).toBe(404);
    });
  });

  describe('404 and 405', () => {
    it.each([
      ['GET', '/iot/nothing'],
      ['GET', '/iot/create/extra'],
      // HandleMethodNotAllowed is false in gin.Default(): another method is a 404, never 405.
      ['POST', '/iot'],
      ['PUT', '/iot/create'],
      ['DELETE', '/'],
      ['POST', '/iot/'],
      ['HEAD', '/iot'],
      ['OPTIONS', '/iot'],
    ])('%s %s -> 404 "404 page not found" as text/plain', async (method, url) => {
      const res = await h.api.inject({ method: method as 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/plain');
      if (method !== 'HEAD') expect(res.body).toBe('404 page not found');
    });

    it('leaves the api own routes to their error contract', async () => {
      const res = await h.api.inject({ url: '/nothing' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });
  });

  describe('cors.Default()', () => {
    const origin = { origin: 'http://dashboard.example' };

    it('allows every origin with * and no Vary on a simple request', async () => {
      const res = await h.api.inject({ url: '/iot?limit=1', headers: origin });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
      expect(String(res.headers.vary ?? '')).not.toMatch(/origin/i);
    });

    it('answers a preflight 204 with the default methods, headers and 12 h max age', async () => {
      for (const url of ['/iot', '/iot/', '/iot/create', '/']) {
        const res = await h.api.inject({
          method: 'OPTIONS',
          url,
          headers: { ...origin, 'access-control-request-method': 'GET' },
        });
        expect(res.statusCode).toBe(204);
        expect(res.body).toBe('');
        expect(res.headers).toMatchObject({
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS',
          'access-control-allow-headers': 'Origin,Content-Length,Content-Type',
          'access-control-max-age': '43200',
        });
      }
    });

    it('adds the header to the 404 too (Gin runs its middleware there)', async () => {
      const res = await h.api.inject({ method: 'POST', url: '/iot', headers: origin });
      expect(res.statusCode).toBe(404);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    });

    it('treats an Origin equal to the request own scheme and host as no CORS request', async () => {
      const res = await h.api.inject({
        url: '/',
        headers: { host: 'api.local:8080', origin: 'http://api.local:8080' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('sends no CORS headers without an Origin', async () => {
      const res = await h.api.inject({ url: '/iot/create_table' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('status codes and bodies', () => {
    it('GET / : version, Go-formatted UTC time, endpoints', async () => {
      const res = await h.api.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json<{ time: string; endpoints: string[] }>();
      expect(body.time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? \+0000 UTC$/);
      expect(body.endpoints).toContain('GET /iot');
    });

    it('create_table 200, create 201, list 200, with the original messages', async () => {
      const table = await h.api.inject({ url: '/iot/create_table' });
      expect(table.statusCode).toBe(200);
      expect(table.json()).toEqual({
        Status: 200,
        Message: 'Table created successfully or already exists',
      });
      const created = await h.api.inject({ url: '/iot/create?n=2' });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toEqual({
        Status: 201,
        Message: 'Created 2 Air Conditioner records successfully',
      });
      const list = await h.api.inject({ url: '/iot?limit=2' });
      expect(list.statusCode).toBe(200);
      expect(Object.keys(list.json())).toEqual(['pod_name', 'node_name', 'result']);
    });
  });

  describe('gzip as gin-contrib/gzip', () => {
    it('compresses even a small body when the client accepts gzip', async () => {
      const res = await h.api.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
      const body = JSON.parse(gunzipSync(res.rawPayload).toString()) as { version: string };
      expect(body.version).toBeDefined();
    });

    it('does not compress without gzip in Accept-Encoding', async () => {
      for (const enc of [undefined, 'deflate', 'identity']) {
        const res = await h.api.inject({
          url: '/iot/create_table',
          headers: enc ? { 'accept-encoding': enc } : {},
        });
        expect(res.headers['content-encoding']).toBeUndefined();
        expect(res.json()).toMatchObject({ Status: 200 });
      }
    });
  });
});

describe('Gin router semantics (GIN_LIST_PATH=/iot/, the dsa-ant24 variant)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ INGEST_MQTT: 'false', GIN_LIST_PATH: '/iot/', GIN_ROUTES_OPEN: 'true' });
  });
  afterAll(() => h.close());

  it('serves the list at /iot/ and redirects /iot there', async () => {
    const list = await h.api.inject({ url: '/iot/?limit=1' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ pod_name: 'pod-test', result: [] });
    const redirect = await h.api.inject({ url: '/iot?limit=1' });
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe('/iot/?limit=1');
  });

  it('keeps the original error body at /iot/', async () => {
    const res = await h.api.inject({ url: '/iot/?limit=abc' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ Status: 404, Type: 'Resource Not Found' });
  });
});
