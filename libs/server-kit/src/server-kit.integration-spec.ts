/**
 * The kit in a real app: readiness follows PostgreSQL and the broker (real kills), liveness
 * does not, /metrics serves the HTTP histogram and process metrics, the one error body.
 */
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  generateServicePasswords,
  MqttModule,
  startRegistryBroker,
  type RegistryBroker,
} from '@iotmon/messaging';
import { dataSourceOptions } from '@iotmon/persistence';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { AppError, createServerApp, ServerKitModule } from './index';

@Controller('things')
class ThingsController {
  @Get('missing')
  missing() {
    throw AppError.notFound('thing 1');
  }
}

describe('server kit', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let brokerUp = true;
  let app: NestFastifyApplication;
  const get = (url: string) => app.inject({ method: 'GET', url });

  beforeAll(async () => {
    db = await createTestDatabase();
    broker = await startRegistryBroker({
      databaseUrl: db.url,
      services: generateServicePasswords(),
      port: 0,
    });
    @Module({
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(db.url, 2)),
        MqttModule.forRoot({
          clientId: 'kit-test',
          settings: { url: broker.url, ...broker.login('api') },
          client: { reconnectPeriod: 100 },
        }),
        ServerKitModule.forRoot({
          readiness: ['database', 'mqtt'],
        }),
      ],
      controllers: [ThingsController],
    })
    class TestApp {}
    app = await createServerApp(TestApp, { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    await waitFor(async () => (await get('/health/ready')).statusCode === 200, {
      what: 'ready',
    });
  });
  afterAll(async () => {
    await app.close();
    if (brokerUp) await broker.close();
    await db.drop();
  });

  it('is ready with PostgreSQL and the broker up, on /health and /health/ready', async () => {
    for (const url of ['/health', '/health/ready']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, mqtt: { status: 'up' } },
      });
    }
  });

  it('answers with the one error body', async () => {
    const missing = await get('/things/missing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'thing 1 not found',
      correlationId: missing.headers['x-correlation-id'],
    });
  });

  it('serves the HTTP histogram and process metrics on /metrics', async () => {
    const res = await get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/things\/missing",status="404"\} 1/,
    );
    expect(res.body).toContain('process_cpu_seconds_total');
  });

  // Last: it stops the broker.
  it('is not ready while the broker is away, and live all the same', async () => {
    brokerUp = false;
    await broker.close();
    await waitFor(async () => (await get('/health/ready')).statusCode === 503, {
      what: 'not ready',
    });
    const res = await get('/health/ready');
    expect(res.json()).toMatchObject({
      status: 'error',
      error: { mqtt: { status: 'down' } },
      info: { database: { status: 'up' } },
    });
    expect((await get('/health/live')).statusCode).toBe(200);
  });
});
