/** One real advisor app on a free port, logged into a test database as its two roles. */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { AccessTokens, type Role } from '@iotmon/server-kit';
import { collectRoutes, type RegisteredRoute, type TestDatabase } from '@iotmon/testing';
import { createAdvisorApp } from '../app.factory';
import { loadAdvisorConfig } from '../config';

export const TEST_ADMIN_KEY = 'test-advisor-admin-key-0123';
/** The api's and alerting's token secret in a deployment: their users' tokens work here. */
export const TEST_JWT_SECRET = 'test-advisor-jwt-secret-0123456789-0123';
const PASSWORD = 'advisor-test-password';

export interface AdvisorInstance {
  app: NestFastifyApplication;
  baseUrl: string;
  /** A signed-in user's bearer token, per role (as the api issues them). */
  viewer: Record<string, string>;
  operator: Record<string, string>;
  admin: Record<string, string>;
  /** Every route the app registered (for the authorization matrix). */
  routes: RegisteredRoute[];
  readUrl: string;
  historyUrl: string;
  close(): Promise<void>;
}

export function asRole(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = PASSWORD;
  return u.toString();
}

/** Gives the migration's roles a password, as migrate.js does from ADVISOR_DB_PASSWORD. */
export async function setRolePasswords(db: TestDatabase): Promise<void> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    for (const role of ['iotmon_advisor', 'iotmon_advisor_history'])
      await c.query(`ALTER ROLE ${role} PASSWORD '${PASSWORD}'`);
  } finally {
    await c.end();
  }
}

export async function startAdvisorInstance(
  db: TestDatabase,
  env: Record<string, string> = {},
): Promise<AdvisorInstance> {
  await setRolePasswords(db);
  const readUrl = asRole(db.url, 'iotmon_advisor');
  const historyUrl = asRole(db.url, 'iotmon_advisor_history');
  let routes: RegisteredRoute[] = [];
  const app = await createAdvisorApp(
    loadAdvisorConfig({
      PORT: '0',
      ADVISOR_DATABASE_URL: readUrl,
      ADVISOR_HISTORY_DATABASE_URL: historyUrl,
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      ADVISOR_EVALUATE_INTERVAL_MS: '300',
      ADVISOR_SAMPLE_INTERVAL_MS: '300',
      ...env,
    }),
    process.env['ADVISOR_TEST_LOGS'] === '1',
    (a) => (routes = collectRoutes(a.getHttpAdapter().getInstance())),
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    viewer: userToken('viewer'),
    operator: userToken('operator'),
    admin: { 'x-api-key': TEST_ADMIN_KEY },
    routes,
    readUrl,
    historyUrl,
    close: () => app.close(),
  };
}

/** What the api's POST /auth/login hands a user of `role` (same secret, same claims). */
export function userToken(role: Role, secret = TEST_JWT_SECRET): Record<string, string> {
  const token = new AccessTokens(secret).sign({ id: `u-${role}`, name: `${role}-1`, role }, 600);
  return { authorization: `Bearer ${token}` };
}
