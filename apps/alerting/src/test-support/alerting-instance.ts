/** Starts one real alerting app (Fastify on a free port) for tests and the bench. */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createAlertingApp } from '../app.factory';
import { loadAlertingConfig } from '../config';
import { EventsConsumerService } from '../events/events-consumer.service';
import { RawReadingsSource } from '../events/raw-readings.source';

export interface AlertingInstance {
  app: NestFastifyApplication;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startAlertingInstance(
  env: Record<string, string>,
): Promise<AlertingInstance> {
  const app = await createAlertingApp(
    loadAlertingConfig({ PORT: '0', ...env }),
    process.env['ALERTING_TEST_LOGS'] === '1',
  );
  await app.listen(0, '127.0.0.1');
  // Messages published before the broker acknowledged the subscriptions would be lost.
  await Promise.all([
    app.get(EventsConsumerService).subscribed,
    app.get(RawReadingsSource).subscribed,
  ]);
  const address = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
