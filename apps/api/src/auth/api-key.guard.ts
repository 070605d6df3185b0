/** The global guard: checks `x-api-key` against the route's access level. Keys are never logged. */
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@iotmon/server-kit';
import { API_CONFIG, type ApiConfig } from '../config';
import { ACCESS_KEY, type AccessLevel } from '@iotmon/server-kit';
import { PRINCIPAL, type Principal } from './principal';
import { ApiKeysService } from './api-keys.service';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const level =
      this.reflector.getAllAndOverride<AccessLevel>(ACCESS_KEY, [
        ctx.getHandler(),
        ctx.getClass(),
      ]) ?? 'read';
    if (level === 'public' || (level === 'read' && this.config.readsOpen)) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { [PRINCIPAL]?: Principal }>();
    const header = req.headers['x-api-key'];
    const key = typeof header === 'string' ? header : undefined;
    if (!key) throw new AppError(401, 'UNAUTHORIZED', 'an API key (x-api-key) is required');
    const principal = await this.keys.principalOf(key);
    if (!principal) throw new AppError(401, 'UNAUTHORIZED', 'the API key is not valid');
    if (level === 'admin' && principal.kind !== 'admin') {
      throw new AppError(403, 'FORBIDDEN', 'this route needs the admin API key');
    }
    req[PRINCIPAL] = principal;
    return true;
  }
}
