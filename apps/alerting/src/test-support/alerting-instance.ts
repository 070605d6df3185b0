/** Starts one real alerting app (Fastify on a free port) for tests and the bench. */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mqttTransportOf, type Role } from '@iotmon/server-kit';
import { collectRoutes, type RegisteredRoute } from '@iotmon/testing';
import { createAlertingApp } from '../app.factory';
import { loadAlertingConfig } from '../config';

/** The admin machine key every test instance is given (ADMIN_API_KEY). */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';
/** One token secret for every instance of a test, as replicas of a deployment share it. */
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789-0123456789';
export const TEST_PASSWORD = 'test-password-0123';

export interface AlertingInstance {
  app: NestFastifyApplication;
  baseUrl: string;
  /** Every route the app registered (for the authorization matrix). */
  routes: RegisteredRoute[];
  /** Headers that authenticate as the admin machine key. */
  admin: Record<string, string>;
  /**
   * Headers of a signed-in user (Authorization: Bearer), created with the admin key on first
   * use; the password is the same for every test user.
   */
  signIn(username: string, role?: Role): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** `logLines`: collects the app's JSON log lines (structured logging on, as in production). */
export async function startAlertingInstance(
  env: Record<string, string>,
  options: { logLines?: string[] } = {},
): Promise<AlertingInstance> {
  const { logLines } = options;
  let routes: RegisteredRoute[] = [];
  const app = await createAlertingApp(
    loadAlertingConfig({
      PORT: '0',
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      AUTH_BCRYPT_ROUNDS: '4',
      // The tests' webhook receivers are plain-http servers on 127.0.0.1, which the target
      // policy refuses unless allowed; allowed here, as an operator would for a local hook.
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      ...env,
    }),
    logLines !== undefined || process.env['ALERTING_TEST_LOGS'] === '1',
    {
      logDestination: logLines && { write: (line: string) => void logLines.push(line) },
      prepare: (a) => (routes = collectRoutes(a.getHttpAdapter().getInstance())),
    },
  );
  await app.listen(0, '127.0.0.1');
  // Messages published before the broker acknowledged the subscriptions would be lost.
  await mqttTransportOf(app).subscribed;
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const admin = { 'x-api-key': TEST_ADMIN_KEY };
  const sessions = new Map<string, Promise<Record<string, string>>>();
  const signIn = (username: string, role: Role = 'operator') => {
    let s = sessions.get(username);
    if (!s) {
      s = signInAs(baseUrl, admin, username, role);
      sessions.set(username, s);
    }
    return s;
  };
  return { app, baseUrl, routes, admin, signIn, close: () => app.close() };
}

/** Creates the user (409: it exists already, e.g. made through another replica) and signs in. */
export async function signInAs(
  baseUrl: string,
  admin: Record<string, string>,
  username: string,
  role: Role,
): Promise<Record<string, string>> {
  const json = { 'content-type': 'application/json' };
  const created = await fetch(`${baseUrl}/users`, {
    method: 'POST',
    headers: { ...json, ...admin },
    body: JSON.stringify({ username, password: TEST_PASSWORD, role }),
  });
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`creating user ${username}: ${created.status} ${await created.text()}`);
  }
  const login = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`signing in ${username}: ${login.status}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}` };
}
