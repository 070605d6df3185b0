/**
 * What every HTTP app registers on Fastify before it starts: security headers (helmet, a
 * strict CSP for API responses; pages set their own) and rate limits per IP and per identity
 * (429 with Retry-After), plus a tight per-IP limit on sign-in attempts. Counters live in
 * each replica's memory, so N replicas allow up to N times the limit.
 */
import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthConfig } from './auth-config';
import { AuthError } from './auth-error';
import { Credentials } from './credentials';
import { RateLimiter } from './rate-limiter';

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
  const credentials = app.get(Credentials);
  const limits: [RateLimiter, (req: FastifyRequest) => string | undefined][] = [];
  if (loginPerIp > 0) {
    limits.push([
      new RateLimiter(loginPerIp, windowMs),
      (req) =>
        req.method === 'POST' && req.url.split('?')[0] === '/auth/login' ? req.ip : undefined,
    ]);
  }
  if (perIp > 0) limits.push([new RateLimiter(perIp, windowMs), (req) => req.ip]);
  // Anonymous callers have no identity: the per-IP limit covers them.
  if (perIdentity > 0) {
    limits.push([new RateLimiter(perIdentity, windowMs), (req) => credentials.identityOf(req)]);
  }
  if (limits.length === 0) return;
  fastify.addHook('onRequest', async (req, reply) => {
    for (const [limiter, keyOf] of limits) {
      const key = keyOf(req);
      if (key === undefined) continue;
      const v = limiter.hit(key);
      if (!v.allowed) {
        void reply.header('retry-after', v.resetSeconds);
        throw new AuthError(
          429,
          'RATE_LIMITED',
          `too many requests: retry in ${v.resetSeconds} s`,
          v.resetSeconds,
        );
      }
    }
  });
}
