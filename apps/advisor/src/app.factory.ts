import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createServerApp } from '@iotmon/server-kit';
import { AdvisorModule } from './app.module';
import type { AdvisorConfig } from './config';

/** The caller a rate limit counts against: its token or key (hashed, never kept) or the address. */
function caller(req: FastifyRequest): string {
  const key = req.headers['x-api-key'];
  const credential = typeof key === 'string' && key ? key : req.headers.authorization;
  return credential
    ? `cred:${createHash('sha256').update(credential).digest('hex').slice(0, 16)}`
    : `ip:${req.ip}`;
}

const isAsk = (req: FastifyRequest) => req.url.startsWith('/advice/ask');

/** @param prepare runs before anything registers a route (tests collect the routes there). */
export async function createAdvisorApp(
  config: AdvisorConfig,
  logger = true,
  prepare?: (app: NestFastifyApplication) => void,
): Promise<NestFastifyApplication> {
  const app = await createServerApp(AdvisorModule.register(config), { logger, prepare });
  // The adapter types its instance without the plugin's declaration merging; it is the same object.
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await fastify.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    // Questions cost an LLM call each: their own, smaller budget per caller.
    max: (req) => (isAsk(req) ? config.rateLimit.askPerMinute : config.rateLimit.readsPerMinute),
    keyGenerator: (req) => `${isAsk(req) ? 'ask' : 'read'}:${caller(req)}`,
    allowList: (req) => req.url.startsWith('/health') || req.url.startsWith('/metrics'),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `rate limit: ${ctx.max} requests per minute, retry in ${Math.ceil(ctx.ttl / 1000)} s`,
    }),
  });
  return app;
}
