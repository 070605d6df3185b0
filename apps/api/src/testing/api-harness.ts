/** Starts the real api on a fresh migrated database and a real broker for one spec file. */
import {
  generateServicePasswords,
  startRegistryBroker,
  type RegistryBroker,
} from '@iotmon/messaging';
import {
  collectRoutes,
  createTestDatabase,
  type RegisteredRoute,
  type TestDatabase,
} from '@iotmon/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeysService } from '@iotmon/server-kit';
import { createApiApp } from '../app.factory';
import { loadApiConfig } from '../config';

export const ADMIN_KEY = 'test-admin-key-0123456789';
/** Shared by the api and alerting instances of a test, as in a deployment. */
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789-0123456789';

export interface ApiHarness {
  api: NestFastifyApplication;
  /** Headers of a viewer machine key (reads). */
  viewer: Record<string, string>;
  /** Every route the app registered (for the authorization matrix). */
  routes: RegisteredRoute[];
  db: TestDatabase;
  broker: RegistryBroker;
  /** The services' broker passwords (to start the broker again on its port). */
  services: ReturnType<typeof generateServicePasswords>;
  close(): Promise<void>;
}

export async function startApi(env: Record<string, string> = {}): Promise<ApiHarness> {
  const db = await createTestDatabase();
  const services = generateServicePasswords();
  const broker = await startRegistryBroker({ databaseUrl: db.url, services, port: 0 });
  let routes: RegisteredRoute[] = [];
  const api = await createApiApp(
    loadApiConfig({
      DATABASE_URL: db.url,
      ...broker.env('api'),
      PORT: '0',
      ADMIN_API_KEY: ADMIN_KEY,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      AUTH_BCRYPT_ROUNDS: '4',
      POD_NAME: 'pod-test',
      NODE_NAME: 'node-test',
      ...env,
    }),
    false,
    (app) => (routes = collectRoutes(app.getHttpAdapter().getInstance())),
  );
  await api.init();
  await api.getHttpAdapter().getInstance().ready();
  const { key } = await api.get(ApiKeysService).create('test-viewer', 'viewer');
  const h: ApiHarness = {
    api,
    viewer: { 'x-api-key': key! },
    routes,
    db,
    broker,
    services,
    close: async () => {
      await api.close();
      // A test may have replaced the broker (stopped and started it again).
      await h.broker.close();
      await db.drop();
    },
  };
  return h;
}

export const admin = { 'x-api-key': ADMIN_KEY };
