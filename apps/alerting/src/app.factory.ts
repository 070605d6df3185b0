import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServerApp } from '@iotmon/server-kit';
import { AlertingModule } from './app.module';
import type { AlertingConfig } from './config';

export function createAlertingApp(
  config: AlertingConfig,
  logger = true,
): Promise<NestFastifyApplication> {
  return createServerApp(AlertingModule.register(config), { logger });
}
