/**
 * What every HTTP app registers on Fastify before it starts: security headers (helmet, a
 * strict CSP for API responses; pages set their own) and rate limits per IP and per identity
 * (429 with Retry-After), plus a tight per-IP limit on sign-in attempts. Counters live in
 * each replica's memory, so N replicas allow up to N times the limit.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthConfig } from './auth-config';
import { AuthError } from './auth-error';
import { Credentials } from './credentials';

/** For JSON answers: nothing may load, nothing may frame them. */
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

type Plugin = Parameters<NestFastifyApplication['register']>[0];

export async function setupHttpSecurity(
  app: NestFastifyApplication,
  config: AuthConfig,
): Promise<void> {
  // @fastify/* plugins are typed against the root fastify; Nest's adapter bundles its own copy.
  await app.register(helmet as unknown as Plugin, {
    contentSecurityPolicy: false,
    // TLS ends at the ingress; HSTS from the app would be sent over plain http in development.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', async (_req, reply) => {
    void reply.header('content-security-policy', API_CSP);
  });
  const { perIp, perIdentity, windowMs, loginPerIp } = config.rateLimit;
  if (perIp === 0 && perIdentity === 0 && loginPerIp === 0) return;
  await app.register(rateLimit as unknown as Plugin, {
    global: false,
    errorResponseBuilder: (_req: FastifyRequest, ctx: { after: string; ttl: number }) =>
      new AuthError(
        429,
        'rate_limited',
        `too many requests: retry in ${ctx.after}`,
        Math.ceil(ctx.ttl / 1000),
      ),
  });
  const credentials = app.get(Credentials);
  const limiter = (fastify as unknown as { rateLimit(o: object): (...a: unknown[]) => unknown })
    .rateLimit;
  const isLogin = (req: FastifyRequest) =>
    req.method === 'POST' && req.url.split('?')[0] === '/auth/login';
  if (loginPerIp > 0) {
    fastify.addHook(
      'onRequest',
      limiter({
        max: loginPerIp,
        timeWindow: windowMs,
        keyGenerator: (req: FastifyRequest) => `login:${req.ip}`,
        allowList: (req: FastifyRequest) => !isLogin(req),
      }) as never,
    );
  }
  if (perIp > 0) {
    fastify.addHook(
      'onRequest',
      limiter({
        max: perIp,
        timeWindow: windowMs,
        keyGenerator: (req: FastifyRequest) => `ip:${req.ip}`,
      }) as never,
    );
  }
  if (perIdentity > 0) {
    fastify.addHook(
      'onRequest',
      limiter({
        max: perIdentity,
        timeWindow: windowMs,
        keyGenerator: (req: FastifyRequest) => credentials.identityOf(req) ?? 'anonymous',
        // Anonymous callers have no identity: the per-IP limit covers them.
        allowList: (req: FastifyRequest) => credentials.identityOf(req) === undefined,
      }) as never,
    );
  }
}
