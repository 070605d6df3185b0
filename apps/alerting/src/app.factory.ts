import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { setupHttpSecurity } from '@iotmon/server-kit';
import { AlertingModule } from './app.module';
import type { AlertingConfig } from './config';

/** @param prepare runs before anything registers a route (tests collect the routes there). */
export async function createAlertingApp(
  config: AlertingConfig,
  logger = true,
  prepare?: (app: NestFastifyApplication) => void,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AlertingModule.register(config),
    new FastifyAdapter({ trustProxy: config.auth.trustProxy }),
    {
      logger: logger ? ['log', 'warn', 'error'] : false,
    },
  );
  prepare?.(app);
  await setupHttpSecurity(app, config.auth);
  app.enableShutdownHooks();
  return app;
}
