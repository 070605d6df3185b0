/**
 * The api's API-key scheme (apps/api/src/auth): the admin key in `x-api-key` may do anything,
 * reads are open when READS_OPEN (the default). Here the admin key is the operator who may ask;
 * anyone else is a viewer. Without ADMIN_API_KEY nobody may ask. Keys are never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@iotmon/server-kit';
import type { FastifyRequest } from 'fastify';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';
import { ACCESS_KEY, type AccessLevel, PRINCIPAL, type Principal } from './access.decorator';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly adminHash?: Buffer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(ADVISOR_CONFIG) private readonly config: AdvisorConfig,
  ) {
    this.adminHash = config.adminApiKey ? sha256(config.adminApiKey) : undefined;
  }

  canActivate(ctx: ExecutionContext): boolean {
    const level =
      this.reflector.getAllAndOverride<AccessLevel>(ACCESS_KEY, [
        ctx.getHandler(),
        ctx.getClass(),
      ]) ?? 'admin';
    if (level === 'public') return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { [PRINCIPAL]?: Principal }>();
    const header = req.headers['x-api-key'];
    const key =
      typeof header === 'string' && header.length > 0 && header.length <= 256 ? header : undefined;
    if (key && !(this.adminHash && timingSafeEqual(sha256(key), this.adminHash)))
      throw AppError.unauthorized('the API key is not valid');
    req[PRINCIPAL] = key
      ? { id: 'admin-key', role: 'operator' }
      : { id: `ip:${req.ip}`, role: 'viewer' };
    if (level === 'read' && (key || this.config.readsOpen)) return true;
    if (!key) throw AppError.unauthorized('an API key (x-api-key) is required');
    return true;
  }
}
