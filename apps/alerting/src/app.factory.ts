import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServerApp, setupHttpSecurity } from '@iotmon/server-kit';
import { AlertingModule } from './app.module';
import type { AlertingConfig } from './config';

/** @param prepare runs before anything registers a route (tests collect the routes there). */
export async function createAlertingApp(
  config: AlertingConfig,
  logger = true,
  prepare?: (app: NestFastifyApplication) => void,
): Promise<NestFastifyApplication> {
  const app = await createServerApp(AlertingModule.register(config), {
    logger,
    trustProxy: config.auth.trustProxy,
    prepare,
  });
  await setupHttpSecurity(app, config.auth);
  return app;
}
