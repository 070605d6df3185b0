import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { setupHttpSecurity } from '@iotmon/server-kit';
import { AlertingModule } from './app.module';
import type { AlertingConfig } from './config';

export async function createAlertingApp(
  config: AlertingConfig,
  logger = true,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AlertingModule.register(config),
    new FastifyAdapter({ trustProxy: config.auth.trustProxy }),
    {
      logger: logger ? ['log', 'warn', 'error'] : false,
    },
  );
  await setupHttpSecurity(app, config.auth);
  app.enableShutdownHooks();
  return app;
}
