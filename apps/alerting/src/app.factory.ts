import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { createServerApp } from '@iotmon/server-kit';
import { AlertingModule } from './app.module';
import type { AlertingConfig } from './config';

export function createAlertingApp(
  config: AlertingConfig,
  logger = true,
  logDestination?: DestinationStream,
): Promise<NestFastifyApplication> {
  return createServerApp(AlertingModule.register(config), {
    logger,
    app: 'alerting',
    logDestination,
  });
}
