/**
 * One error body for the advisor: {statusCode, code, message, field?}. A 500 says only
 * "internal error"; the details go to the log. (To be replaced by the server kit's filter.)
 */
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';

const CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

@Catch()
export class AdvisorErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  catch(e: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const fe = e as { statusCode?: number; message?: string };
    const status =
      e instanceof HttpException
        ? e.getStatus()
        : typeof fe?.statusCode === 'number'
          ? fe.statusCode
          : 500;
    if (status >= 500) {
      this.log.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      void reply
        .status(status)
        .send({ statusCode: status, code: CODES[status] ?? 'INTERNAL', message: 'internal error' });
      return;
    }
    const body = e instanceof HttpException ? e.getResponse() : undefined;
    const b = typeof body === 'object' && body ? (body as Record<string, unknown>) : {};
    const messages = Array.isArray(b['message']) ? (b['message'] as string[]) : undefined;
    const message = messages
      ? messages.join('; ')
      : String(b['message'] ?? fe?.message ?? 'bad request');
    const field =
      (b['field'] as string | undefined) ?? messages?.[0]?.match(/^(?:property )?(\w+)/)?.[1];
    void reply.status(status).send({
      statusCode: status,
      code: (b['code'] as string) ?? CODES[status] ?? 'BAD_REQUEST',
      message,
      ...(field ? { field } : {}),
    });
  }
}
