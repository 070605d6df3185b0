import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { MQTT_CLIENT } from '@iotmon/messaging';
import { createServerApp, setupHttpSecurity, startMqttTransport } from '@iotmon/server-kit';
import { AlertingModule } from './app.module';
import type { AlertingConfig } from './config';

/** @param prepare runs before anything registers a route (tests collect the routes there). */
export async function createAlertingApp(
  config: AlertingConfig,
  logger = true,
  options: {
    logDestination?: DestinationStream;
    prepare?: (app: NestFastifyApplication) => void;
  } = {},
): Promise<NestFastifyApplication> {
  const app = await createServerApp(AlertingModule.register(config), {
    logger,
    app: 'alerting',
    logDestination: options.logDestination,
    trustProxy: config.auth.trustProxy,
    prepare: options.prepare,
  });
  await setupHttpSecurity(app, config.auth);
  // The events and readings handlers (@EventPattern) on the process's one client; does not
  // wait for the broker. An event is acknowledged once its transition is committed.
  await startMqttTransport(app, {
    settings: config.mqtt,
    client: app.get(MQTT_CLIENT),
    ackAfterHandler: true,
    maxInFlight: 1_024,
  });
  return app;
}
