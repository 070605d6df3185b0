/** Records every handler marked @Audit: after it answers, with its outcome. */
import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type Observable, from, lastValueFrom } from 'rxjs';
import { AUDIT_KEY, type AuditSpec } from './audit.decorator';
import { AuditService } from './audit.service';
import { PRINCIPAL, type RequestWithPrincipal } from './principal';

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.getAllAndOverride<AuditSpec>(AUDIT_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!spec || ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<FastifyRequest & RequestWithPrincipal>();
    const record = (outcome: 'ok' | 'failed', status: number, result: unknown) =>
      this.audit.record({
        action: spec.action,
        principal: req[PRINCIPAL],
        target: spec.target
          ? spec.target(req, result)
          : (req.params as Record<string, string> | undefined)?.['id'],
        outcome,
        status,
        ip: req.ip,
        correlationId: String(req.id),
        detail: spec.detail?.(req, result),
      });
    return from(
      (async () => {
        try {
          const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
          // Nest sets the status after the interceptors: read what it will set.
          const status =
            this.reflector.get<number>(HTTP_CODE_METADATA, ctx.getHandler()) ??
            (req.method === 'POST' ? 201 : 200);
          await record('ok', status, result);
          return result;
        } catch (e) {
          await record('failed', statusOf(e), undefined);
          throw e;
        }
      })(),
    );
  }
}

/** The status an error will be answered with: Nest's, or the `status` of an app's coded error. */
function statusOf(e: unknown): number {
  if (e instanceof HttpException) return e.getStatus();
  // AppError and other coded errors carry their status.
  const status = (e as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
