/** Builds the api (Fastify) so that main.ts and the tests start the very same app. */
import compress from '@fastify/compress';
import { NestFactory } from '@nestjs/core';
import { setupHttpSecurity } from '@iotmon/server-kit';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { correlationIdOf } from './common/correlation';
import type { ApiConfig } from './config';
import { setupSwagger } from './docs/openapi';
import { ginRewriteUrl, installGinRouter } from './gin/gin-router';
import { ApiMetrics } from './metrics/api-metrics';

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
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: correlationIdOf,
    trustProxy: config.auth.trustProxy,
    rewriteUrl: ginRewriteUrl(config.ginListPath),
    // Fastify's own request log would be one line per request; Nest logs what matters.
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    adapter,
    {
      logger: logger ? ['log', 'warn', 'error'] : false,
    },
  );
  prepare?.(app);
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(ApiMetrics);
  fastify.addHook('onRequest', async (req, reply) => {
    void reply.header('x-correlation-id', req.id);
  });
  fastify.addHook('onResponse', async (req, reply) => {
    metrics.httpDuration.observe(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  // Errors raised before a handler runs (body parsing, body limit) need no handler of ours:
  // Nest installs Fastify's error handler when the app initialises and sends them through the
  // global AllExceptionsFilter (shapeError), so a second setErrorHandler here would only be
  // overridden (Fastify's FSTWRN004 warning) and never run.
  // Gin's router semantics on the original's routes; before compress, whose options it sets.
  installGinRouter(fastify, config.ginListPath);
  // Only when the client accepts it and the body is large: gzip costs more than it saves on small bodies.
  // @fastify/compress is typed against the root fastify, Nest's adapter bundles its own copy.
  await app.register(compress as unknown as Parameters<typeof app.register>[0], {
    global: true,
    threshold: config.compressMinBytes,
    encodings: ['gzip', 'deflate'],
  });
  await setupHttpSecurity(app, config.auth);
  setupSwagger(app);
  app.enableShutdownHooks();
  return app;
}
