/**
 * The whole thin slice: a real edge process publishes to a real broker, the api consumes
 * and stores in real PostgreSQL, and GET /readings returns what the edge measured.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Reading } from '@iotmon/domain';
import {
  generateServicePasswords,
  startRegistryBroker,
  type RegistryBroker,
} from '@iotmon/messaging';
import { createTestDatabase, stopChild, waitFor, type TestDatabase } from '@iotmon/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from './app.factory';
import { loadApiConfig } from './config';
import { admin } from './testing/api-harness';

const root = join(__dirname, '../../..');
const outDir = `tmp/e2e-${process.pid}`;
const ADMIN = 'test-admin-key-0123456789';

describe('edge -> broker -> api -> PostgreSQL -> GET /readings', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let api: NestFastifyApplication;
  let edge: ChildProcess;

  beforeAll(async () => {
    execFileSync(process.execPath, ['tools/compile.mjs', '--out', outDir], { cwd: root });
    db = await createTestDatabase();
    broker = await startRegistryBroker({
      databaseUrl: db.url,
      services: generateServicePasswords(),
      port: 0,
    });
    api = await createApiApp(
      loadApiConfig({
        DATABASE_URL: db.url,
        ...broker.env('api'),
        PORT: '0',
        ADMIN_API_KEY: ADMIN,
      }),
      false,
    );
    await api.listen(0, '127.0.0.1');
    // The edge signs in as its device with the key the api issued at registration.
    const created = await api.inject({
      method: 'POST',
      url: '/devices',
      headers: { 'x-api-key': ADMIN },
      payload: { id: 'edge-it', name: 'edge under test' },
    });
    const { apiKey } = created.json<{ apiKey: string }>();
    edge = spawn(process.execPath, [join(outDir, 'apps/edge/src/main.js')], {
      cwd: root,
      env: {
        ...process.env,
        MQTT_URL: broker.url,
        MQTT_USERNAME: 'edge-it',
        MQTT_PASSWORD: apiKey,
        NODE_ID: 'edge-it',
        SENSOR_INTERVAL_MS: '100',
      },
      stdio: 'ignore',
    });
  });

  afterAll(async () => {
    if (edge) await stopChild(edge);
    await api?.close();
    await broker?.close();
    await db?.drop();
    rmSync(join(root, outDir), { recursive: true, force: true });
  });

  it('returns readings of all four environmental sensors of the edge node, newest first', async () => {
    const readings = await waitFor(
      async () => {
        const res = await api.inject({
          method: 'GET',
          headers: admin,
          url: '/readings?deviceId=edge-it&limit=100',
        });
        const body = res.json<Reading[]>();
        return new Set(body.map((r) => r.sensor)).size === 4 ? body : undefined;
      },
      { timeoutMs: 15_000, what: 'readings of four sensors' },
    );
    expect(new Set(readings.map((r) => r.sensor))).toEqual(
      new Set(['temperature', 'humidity', 'light', 'air_quality']),
    );
    expect(readings.every((r) => r.deviceId === 'edge-it')).toBe(true);
    const ts = readings.map((r) => r.ts);
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
  });

  it('filters by sensor and limit, and rejects a bad limit naming the field', async () => {
    const res = await api.inject({
      method: 'GET',
      headers: admin,
      url: '/readings?deviceId=edge-it&sensor=humidity&limit=2',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<Reading[]>();
    expect(body.length).toBeLessThanOrEqual(2);
    expect(body.every((r) => r.sensor === 'humidity')).toBe(true);
    const bad = await api.inject({ method: 'GET', headers: admin, url: '/readings?limit=-5' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/limit/);
  });
});
