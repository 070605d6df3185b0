/**
 * The advisor has no identity tables of its own: it accepts a signed-in user's access token
 * (verified with the shared AUTH_JWT_SECRET, so the dashboard's proxy forwards the user's
 * own) and the configured admin key (ADMIN_API_KEY). Routes use the kit's `Access` roles:
 * reads need a viewer, asking an operator. Keys and tokens are never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ACCESS_KEY,
  AccessTokens,
  type AccessRule,
  AuthError,
  defaultRule,
  PRINCIPAL,
  type Principal,
  type RequestWithPrincipal,
  roleAtLeast,
} from '@iotmon/server-kit';
import type { FastifyRequest } from 'fastify';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

@Injectable()
export class AdvisorAuthGuard implements CanActivate {
  private readonly adminHash?: Buffer;
  private readonly tokens?: AccessTokens;

  constructor(
    private readonly reflector: Reflector,
    @Inject(ADVISOR_CONFIG) config: AdvisorConfig,
  ) {
    this.adminHash = config.adminApiKey ? sha256(config.adminApiKey) : undefined;
    this.tokens = config.jwtSecret ? new AccessTokens(config.jwtSecret) : undefined;
  }

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest & RequestWithPrincipal>();
    const rule =
      this.reflector.getAllAndOverride<AccessRule>(ACCESS_KEY, [
        ctx.getHandler(),
        ctx.getClass(),
      ]) ?? defaultRule(req.method);
    if (rule.role === 'public') return true;
    const principal = this.principalOf(req);
    if (principal.kind === 'device')
      throw AuthError.forbidden('a device key may not use the advisor');
    if (!roleAtLeast(principal.role, rule.role))
      throw AuthError.forbidden(`this needs the ${rule.role} role (you are ${principal.role})`);
    req[PRINCIPAL] = principal;
    return true;
  }

  private principalOf(req: FastifyRequest): Principal {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && /^bearer /i.test(auth)) {
      if (!this.tokens)
        throw AuthError.unauthorized('the advisor has no AUTH_JWT_SECRET: use the admin key');
      return this.tokens.verify(auth.slice(7).trim());
    }
    const key = req.headers['x-api-key'];
    if (typeof key === 'string' && key) {
      if (key.length <= 256 && this.adminHash && timingSafeEqual(sha256(key), this.adminHash))
        return { kind: 'key', id: 'admin', name: 'admin', role: 'admin' };
      throw AuthError.unauthorized(
        'the API key is not valid here (the advisor takes the admin key)',
      );
    }
    throw AuthError.unauthorized(
      'sign in (Authorization: Bearer) or send the admin key (x-api-key)',
    );
  }
}
