/** Starts the real api on a fresh migrated database and a real broker for one spec file. */
import {
  generateServicePasswords,
  startRegistryBroker,
  type RegistryBroker,
} from '@iotmon/messaging';
import { createTestDatabase, type TestDatabase } from '@iotmon/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../app.factory';
import { loadApiConfig } from '../config';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface ApiHarness {
  api: NestFastifyApplication;
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
  const api = await createApiApp(
    loadApiConfig({
      DATABASE_URL: db.url,
      ...broker.env('api'),
      PORT: '0',
      ADMIN_API_KEY: ADMIN_KEY,
      POD_NAME: 'pod-test',
      NODE_NAME: 'node-test',
      ...env,
    }),
    false,
  );
  await api.init();
  await api.getHttpAdapter().getInstance().ready();
  const h: ApiHarness = {
    api,
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
