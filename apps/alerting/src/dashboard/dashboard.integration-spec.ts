import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, PgConnections, pgConnectionsProvider } from '@iotmon/persistence';
import {
  AuthModule,
  ErrorFilter,
  loadAuthConfig,
  TokensService,
  UsersService,
  validationPipeProvider,
} from '@iotmon/server-kit';
import { createTestDatabase, type TestDatabase } from '@iotmon/testing';
import { loadDashboardConfig } from './dashboard-config';
import { DashboardModule } from './dashboard.module';

/** A stand-in api that records what it was asked. */
function fakeApi(): Promise<{ server: Server; url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    if (req.url?.startsWith('/readings?')) {
      res.setHeader('x-next-cursor', 'abc_123');
      res.setHeader('content-type', 'application/json');
      res.end('[{"deviceId":"edge-1","sensor":"temperature","value":21,"ts":1,"seq":1}]');
    } else {
      res.statusCode = 400;
      res.setHeader('content-type', 'application/json');
      res.end('{"code":"VALIDATION_FAILED"}');
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }),
    ),
  );
}

const ADMIN_KEY = 'dashboard-test-admin-key';

@Module({})
class TestModule {
  static register(url: string): DynamicModule {
    return {
      module: TestModule,
      // The process's one pool, as AlertingModule provides it (global for AuthModule's services).
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(url, 2)),
        AuthModule.forRoot(
          loadAuthConfig('alerting', { ADMIN_API_KEY: ADMIN_KEY, AUTH_BCRYPT_ROUNDS: '4' }),
        ),
        DashboardModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        validationPipeProvider,
        pgConnectionsProvider,
      ],
      exports: [PgConnections],
    };
  }
}

describe('DashboardModule', () => {
  let app: NestFastifyApplication;
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let db: TestDatabase;
  let token: string;

  beforeAll(async () => {
    [api, db] = await Promise.all([fakeApi(), createTestDatabase()]);
    process.env.DASHBOARD_API_URL = api.url;
    app = await NestFactory.create<NestFastifyApplication>(
      TestModule.register(db.url),
      new FastifyAdapter(),
      { logger: false },
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const viewer = await app.get(UsersService).create('vic', 'viewer-password-1', 'viewer');
    token = (await app.get(TokensService).issue({ id: viewer.id, name: 'vic', role: 'viewer' }))
      .accessToken;
  });

  afterAll(async () => {
    delete process.env.DASHBOARD_API_URL;
    await app.close();
    api.server.close();
    await db.drop();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers });
  const asViewer = (url: string) => get(url, { cookie: `iotmon_access=${token}` });

  it.each(['/dashboard', '/dashboard/'])('serves the page at %s under its CSP', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<script type="module" src="/dashboard/app.js">');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('serves the modules as JavaScript and uPlot from node_modules', async () => {
    const app_ = await get('/dashboard/app.js');
    expect(app_.statusCode).toBe(200);
    expect(app_.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(app_.headers['x-content-type-options']).toBe('nosniff');
    const uplot = await get('/dashboard/vendor/uPlot.esm.js');
    expect(uplot.statusCode).toBe(200);
    expect(uplot.body).toContain('export { uPlot as default }');
    expect((await get('/dashboard/vendor/uPlot.min.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
  });

  it.each([
    '/dashboard/..%2F..%2Fpackage.json',
    '/dashboard/vendor/..%2Fpackage.json',
    '/dashboard/vendor/uPlot.cjs.js',
    '/dashboard/.env',
    '/dashboard/missing.js',
    '/dashboard/series-window.spec.ts',
  ])('answers 404 for %s', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404 });
  });

  it('gives the page its settings and the rule set whose limits it draws', async () => {
    const res = await get('/dashboard/config.json');
    expect(res.json()).toMatchObject({
      window: 50,
      apiBase: '/dashboard/api',
      ruleSet: {
        version: 1,
        rules: expect.arrayContaining([expect.objectContaining({ id: 'temperature_alert' })]),
      },
    });
  });

  it('proxies reads only for a signed-in caller, with no key of its own', async () => {
    const before = api.seen.length;
    const res = await get('/dashboard/api/devices');
    expect(res.statusCode).toBe(401);
    expect(api.seen).toHaveLength(before);
  });

  it("forwards the caller's own credential: the session's token as a bearer, a key as itself", async () => {
    await asViewer('/dashboard/api/readings?limit=1');
    expect(api.seen.at(-1)!.headers.authorization).toBe(`Bearer ${token}`);
    expect(api.seen.at(-1)!.headers['x-api-key']).toBeUndefined();
    await get('/dashboard/api/readings?limit=1', { 'x-api-key': ADMIN_KEY });
    expect(api.seen.at(-1)!.headers['x-api-key']).toBe(ADMIN_KEY);
    expect(api.seen.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('proxies reads to the api with their query and the page cursor', async () => {
    const res = await asViewer(
      '/dashboard/api/readings?deviceId=edge-1&from=2026-01-01T00%3A00%3A00Z&limit=1000',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-next-cursor']).toBe('abc_123');
    expect(res.json()).toEqual([
      { deviceId: 'edge-1', sensor: 'temperature', value: 21, ts: 1, seq: 1 },
    ]);
    expect(api.seen.at(-1)!.url).toBe(
      '/readings?deviceId=edge-1&from=2026-01-01T00%3A00%3A00Z&limit=1000',
    );
    expect(api.seen.at(-1)!.method).toBe('GET');
  });

  it("passes the api's errors through unchanged", async () => {
    const res = await asViewer('/dashboard/api/readings/aggregate?sensor=nope');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'VALIDATION_FAILED' });
    expect(api.seen.at(-1)!.url).toBe('/readings/aggregate?sensor=nope');
  });
});

describe('loadDashboardConfig', () => {
  it('follows the api port npm start passes, and names a bad variable', () => {
    expect(loadDashboardConfig({ API_PORT: '4000' }).apiUrl).toBe('http://127.0.0.1:4000');
    expect(loadDashboardConfig({ DASHBOARD_API_URL: 'https://api.example/' }).apiUrl).toBe(
      'https://api.example',
    );
    expect(() => loadDashboardConfig({ DASHBOARD_API_URL: 'ftp://x' })).toThrow(
      /DASHBOARD_API_URL/,
    );
    expect(() => loadDashboardConfig({ DASHBOARD_WINDOW: '1' })).toThrow(/DASHBOARD_WINDOW/);
  });
});
