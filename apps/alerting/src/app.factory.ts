import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AlertingModule } from './app.module';
import type { AlertingConfig } from './config';

export async function createAlertingApp(
  config: AlertingConfig,
  logger = true,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AlertingModule.register(config),
    new FastifyAdapter(),
    {
      logger: logger ? ['log', 'warn', 'error'] : false,
    },
  );
  app.enableShutdownHooks();
  return app;
}
