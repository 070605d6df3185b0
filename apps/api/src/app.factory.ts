/** Builds the api (Fastify) so that main.ts and the tests start the very same app. */
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { ApiConfig } from './config';

export async function createApiApp(
  config: ApiConfig,
  logger = true,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    new FastifyAdapter({ bodyLimit: 16 * 1024 * 1024 }),
    { logger: logger ? ['log', 'warn', 'error'] : false },
  );
  app.enableShutdownHooks();
  return app;
}
