/** Starts one real alerting app (Fastify on a free port) for tests and the bench. */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mqttTransportOf } from '@iotmon/server-kit';
import { createAlertingApp } from '../app.factory';
import { loadAlertingConfig } from '../config';

/** The admin machine key every test instance is given (ADMIN_API_KEY). */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';

export interface AlertingInstance {
  app: NestFastifyApplication;
  baseUrl: string;
  /** Headers that authenticate as the admin machine key. */
  admin: Record<string, string>;
  close(): Promise<void>;
}

/** `logLines`: collects the app's JSON log lines (structured logging on, as in production). */
export async function startAlertingInstance(
  env: Record<string, string>,
  options: { logLines?: string[] } = {},
): Promise<AlertingInstance> {
  const { logLines } = options;
  const app = await createAlertingApp(
    loadAlertingConfig({
      PORT: '0',
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      // The tests' webhook receivers are plain-http servers on 127.0.0.1, which the target
      // policy refuses unless allowed; allowed here, as an operator would for a local hook.
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      ...env,
    }),
    logLines !== undefined || process.env['ALERTING_TEST_LOGS'] === '1',
    logLines && { write: (line: string) => void logLines.push(line) },
  );
  await app.listen(0, '127.0.0.1');
  // Messages published before the broker acknowledged the subscriptions would be lost.
  await mqttTransportOf(app).subscribed;
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    admin: { 'x-api-key': TEST_ADMIN_KEY },
    close: () => app.close(),
  };
}
