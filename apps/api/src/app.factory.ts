/** Builds the api (Fastify) so that main.ts and the tests start the very same app. */
import compress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MQTT_CLIENT } from '@iotmon/messaging';
import { createServerApp, setupHttpSecurity, startMqttTransport } from '@iotmon/server-kit';
import { AppModule } from './app.module';
import type { ApiConfig } from './config';
import { setupSwagger } from './docs/openapi';
import { ginRewriteUrl, installGinRouter } from './gin/gin-router';

/** 10,000 readings are about 1.5 MB of JSON; anything much larger is refused with 413. */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * @param prepare runs on the new app before anything registers a route (tests collect the
 *   routes there for the authorization matrix).
 */
export async function createApiApp(
  config: ApiConfig,
  logger = true,
  prepare?: (app: NestFastifyApplication) => void,
): Promise<NestFastifyApplication> {
  const app = await createServerApp(AppModule.register(config), {
    bodyLimit: BODY_LIMIT_BYTES,
    rewriteUrl: ginRewriteUrl(config.ginListPath),
    logger,
    app: 'api',
    trustProxy: config.auth.trustProxy,
    prepare,
  });
  // Errors raised before a handler runs (body parsing, body limit) need no handler of ours:
  // Nest installs Fastify's error handler when the app initialises and sends them through the
  // global ErrorFilter (server-kit), so a second setErrorHandler here would only be
  // overridden (Fastify's FSTWRN004 warning) and never run.
  // Gin's router semantics on the original's routes; before compress, whose options it sets.
  installGinRouter(app.getHttpAdapter().getInstance(), config.ginListPath);
  // Only when the client accepts it and the body is large: gzip costs more than it saves on small bodies.
  // @fastify/compress is typed against the root fastify, Nest's adapter bundles its own copy.
  await app.register(compress as unknown as Parameters<typeof app.register>[0], {
    global: true,
    threshold: config.compressMinBytes,
    encodings: ['gzip', 'deflate'],
  });
  await setupHttpSecurity(app, config.auth);
  setupSwagger(app);
  // The ingestion handlers (@EventPattern) on the process's one client; does not wait for the
  // broker. A message is acknowledged once its readings are committed.
  await startMqttTransport(app, {
    settings: config.mqtt,
    client: app.get(MQTT_CLIENT),
    ackAfterHandler: true,
    maxInFlight: config.ingestMaxInFlight,
  });
  return app;
}
