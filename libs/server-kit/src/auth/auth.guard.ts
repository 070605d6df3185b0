/** The one guard of every HTTP app: authenticates the caller and checks the route's rule. */
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ACCESS_KEY, defaultRule, type AccessRule } from './access.decorator';
import { AUDIT_KEY, type AuditSpec } from './audit.decorator';
import { AuditService } from './audit.service';
import { AuthError } from './auth-error';
import { Inject } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { Credentials } from './credentials';
import { PRINCIPAL, type Principal, type RequestWithPrincipal } from './principal';
import { roleAtLeast } from './roles';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: Credentials,
    private readonly audit: AuditService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest<FastifyRequest & RequestWithPrincipal>();
    const rule =
      this.reflector.getAllAndOverride<AccessRule>(ACCESS_KEY, targets) ?? defaultRule(req.method);
    if (rule.role === 'public') return true;
    if (rule.openWhen && this.config.open[rule.openWhen]) return true;
    let principal: Principal | undefined;
    try {
      principal = await this.credentials.principalOf(req);
      if (!principal) {
        throw AuthError.unauthorized(
          'sign in (Authorization: Bearer) or send an API key (x-api-key)',
        );
      }
      if (principal.kind === 'device') {
        if (!rule.devices)
          throw AuthError.forbidden('a device key may only write its own readings');
      } else if (!roleAtLeast(principal.role, rule.role)) {
        throw AuthError.forbidden(`this needs the ${rule.role} role (you are ${principal.role})`);
      }
    } catch (e) {
      const audited = this.reflector.getAllAndOverride<AuditSpec>(AUDIT_KEY, targets);
      if (audited && e instanceof AuthError) {
        await this.audit.record({
          action: audited.action,
          principal,
          target: (req.params as Record<string, string> | undefined)?.['id'],
          outcome: 'denied',
          status: e.status,
          ip: req.ip,
          correlationId: String(req.id),
        });
      }
      throw e;
    }
    req[PRINCIPAL] = principal;
    return true;
  }
}
