/** Identity, token, limit and header settings shared by both HTTP apps, validated at start-up. */
import { randomBytes } from 'node:crypto';
import { ConfigError, EnvReader } from '@iotmon/config';
import type { OpenFlag } from './access.decorator';

export interface RateLimitConfig {
  /** Requests per window from one IP address; 0: off. */
  perIp: number;
  /** Requests per window of one identity (user, API key, device key); 0: off. */
  perIdentity: number;
  windowMs: number;
  /** Login attempts per window from one IP address (brute force; always on unless 0). */
  loginPerIp: number;
}

export interface AuthConfig {
  /** Which app records audit entries (`api`, `alerting`). */
  app: string;
  /** HMAC secret of access tokens; both apps need the same one so a token works on each. */
  jwtSecret: string;
  /** True when AUTH_JWT_SECRET was not set: tokens then work only on the issuing process. */
  jwtSecretGenerated: boolean;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  bcryptRounds: number;
  /** Consecutive wrong passwords before an account is locked, and for how long. */
  lockoutAttempts: number;
  lockoutSeconds: number;
  /** The admin machine key (x-api-key), at least 16 characters; unset: none. */
  adminApiKey: string | undefined;
  /** The first admin user, created at start-up when no admin exists yet. */
  bootstrapAdmin: { username: string; password: string } | undefined;
  /** Route groups open to anonymous callers. */
  open: Record<OpenFlag, boolean>;
  /** Session cookies only over https (set behind a TLS-terminating ingress). */
  cookieSecure: boolean;
  /** Fastify `trustProxy`: how the client IP is read behind a proxy (false, true or a hop count). */
  trustProxy: boolean | number;
  rateLimit: RateLimitConfig;
}

export function loadAuthConfig(app: string, env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const read = new EnvReader(env);
  const adminApiKey = read.optional('ADMIN_API_KEY');
  if (adminApiKey !== undefined && adminApiKey.length < 16) {
    throw new ConfigError('ADMIN_API_KEY', 'must be at least 16 characters');
  }
  const secret = read.optional('AUTH_JWT_SECRET');
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('AUTH_JWT_SECRET', 'must be at least 32 characters');
  }
  const adminPassword = read.optional('ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 12) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 12 characters');
  }
  const adminUser = read.string('ADMIN_USERNAME', 'admin');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/.test(adminUser)) {
    throw new ConfigError('ADMIN_USERNAME', 'must be 1-64 letters, digits, _ . @ -');
  }
  const proxy = read.string('TRUST_PROXY', 'false');
  let trustProxy: boolean | number;
  if (/^(true|false)$/i.test(proxy)) trustProxy = proxy.toLowerCase() === 'true';
  else if (/^\d{1,2}$/.test(proxy)) trustProxy = Number(proxy);
  else throw new ConfigError('TRUST_PROXY', `must be true, false or a hop count, got "${proxy}"`);
  return {
    app,
    jwtSecret: secret ?? randomBytes(32).toString('base64url'),
    jwtSecretGenerated: secret === undefined,
    accessTtlSeconds: read.int('AUTH_ACCESS_TTL_SECONDS', 900, 10, 86_400),
    refreshTtlSeconds: read.int('AUTH_REFRESH_TTL_SECONDS', 7 * 86_400, 60, 90 * 86_400),
    bcryptRounds: read.int('AUTH_BCRYPT_ROUNDS', 11, 4, 15),
    lockoutAttempts: read.int('AUTH_LOCKOUT_ATTEMPTS', 5, 1, 100),
    lockoutSeconds: read.int('AUTH_LOCKOUT_SECONDS', 900, 1, 86_400),
    adminApiKey,
    bootstrapAdmin: adminPassword ? { username: adminUser, password: adminPassword } : undefined,
    open: { ginRoutes: read.bool('GIN_ROUTES_OPEN', false) },
    cookieSecure: read.bool('AUTH_COOKIE_SECURE', false),
    trustProxy,
    rateLimit: {
      perIp: read.int('RATE_LIMIT_PER_IP', 6000, 0, 10_000_000),
      perIdentity: read.int('RATE_LIMIT_PER_IDENTITY', 3000, 0, 10_000_000),
      windowMs: read.int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600) * 1000,
      loginPerIp: read.int('RATE_LIMIT_LOGIN_PER_IP', 20, 0, 100_000),
    },
  };
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
