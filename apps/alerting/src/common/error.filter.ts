/** One filter shapes every error: a stable code, a correlation id, no internals on a 500. */
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AlertingError } from './alerting-error';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string | string[];
  correlationId: string;
}

@Catch()
export class AlertingErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const header = req.headers['x-correlation-id'];
    const correlationId = typeof header === 'string' && header ? header : randomUUID();
    const body = this.shape(error, correlationId);
    if (body.statusCode >= 500) {
      this.log.error(`${correlationId} ${req.method} ${req.url}: ${(error as Error).stack}`);
    }
    void reply.status(body.statusCode).header('x-correlation-id', correlationId).send(body);
  }

  private shape(error: unknown, correlationId: string): ErrorBody {
    if (error instanceof AlertingError) {
      return { statusCode: error.status, code: error.code, message: error.message, correlationId };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const res = error.getResponse();
      const message =
        typeof res === 'object' && res !== null && 'message' in res
          ? (res as { message: string | string[] }).message
          : error.message;
      const given =
        typeof res === 'object' && res !== null && 'code' in res
          ? (res as { code: unknown }).code
          : undefined;
      const code =
        typeof given === 'string'
          ? given
          : status === 400
            ? 'validation_failed'
            : status === 404
              ? 'not_found'
              : 'http_error';
      return { statusCode: status, code, message, correlationId };
    }
    return { statusCode: 500, code: 'internal', message: 'internal error', correlationId };
  }
}
