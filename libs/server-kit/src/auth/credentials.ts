/**
 * What a request presents and who that is: `Authorization: Bearer <access token>`, an API
 * key in `x-api-key`, or (the dashboard) the access token in the HttpOnly session cookie.
 */
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiKeysService } from './api-keys.service';
import { AuthError } from './auth-error';
import type { Principal } from './principal';
import { hashSecret } from './secrets';
import { TokensService } from './tokens.service';

export const ACCESS_COOKIE = 'iotmon_access';
export const REFRESH_COOKIE = 'iotmon_refresh';
/** A cookie-authenticated write must carry this header: a cross-site form cannot set it. */
export const CSRF_HEADER = 'x-requested-with';

type Presented =
  { kind: 'token'; token: string; cookie: boolean } | { kind: 'key'; key: string } | undefined;

export function cookieOf(req: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return undefined;
}

function presented(req: Pick<FastifyRequest, 'headers'>): Presented {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^bearer /i.test(auth)) {
    return { kind: 'token', token: auth.slice(7).trim(), cookie: false };
  }
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key) return { kind: 'key', key };
  const cookie = cookieOf(req, ACCESS_COOKIE);
  if (cookie) return { kind: 'token', token: cookie, cookie: true };
  return undefined;
}

@Injectable()
export class Credentials {
  constructor(
    private readonly tokens: TokensService,
    private readonly keys: ApiKeysService,
  ) {}

  /** The caller, or undefined when nothing is presented; 401 when what is presented is not valid. */
  async principalOf(req: FastifyRequest): Promise<Principal | undefined> {
    const p = presented(req);
    if (!p) return undefined;
    if (p.kind === 'key') {
      const principal = await this.keys.principalOf(p.key);
      if (!principal) throw AuthError.unauthorized('the API key is not valid');
      return principal;
    }
    const principal = this.tokens.verifyAccess(p.token);
    if (p.cookie && !SAFE_METHODS.has(req.method) && !req.headers[CSRF_HEADER]) {
      throw AuthError.forbidden(`a write with the session cookie needs the ${CSRF_HEADER} header`);
    }
    return principal;
  }

  /**
   * Headers that act on another app with the caller's own credential (the dashboard's proxy
   * to the api): its access token (bearer or session cookie) or its key, never one of ours.
   */
  forwardable(req: Pick<FastifyRequest, 'headers'>): Record<string, string> {
    const p = presented(req);
    if (!p) return {};
    return p.kind === 'token' ? { authorization: `Bearer ${p.token}` } : { 'x-api-key': p.key };
  }

  /** A cheap, unverified-for-keys identity for rate limiting (keys by hash, tokens by subject). */
  identityOf(req: Pick<FastifyRequest, 'headers'>): string | undefined {
    const p = presented(req);
    if (!p) return undefined;
    if (p.kind === 'key') return `key:${hashSecret(p.key).slice(0, 24)}`;
    const sub = this.tokens.subjectOf(p.token);
    return sub ? `user:${sub}` : undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
