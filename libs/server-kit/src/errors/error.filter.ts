/** The one global exception filter: every error of every route leaves through here. */
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CORRELATION_HEADER, correlationIdOf } from '../http/correlation';
import { errorBody, toAppError } from './error-body';

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // createServerApp makes the request id the correlation id; elsewhere take it sanitised.
    const id = String(req.id);
    const correlationId = id && !id.startsWith('req-') ? id : correlationIdOf(req.raw);
    void reply.header(CORRELATION_HEADER, correlationId);
    const known = toAppError(exception);
    // Readiness (terminus) reports which dependency is down: that body is the point of a 503.
    if (!known && exception instanceof HttpException && exception.getStatus() === 503) {
      const res = exception.getResponse();
      void reply.status(503).send(typeof res === 'object' ? res : { message: res });
      return;
    }
    if (!known) {
      const detail = (exception as Error)?.stack ?? String(exception);
      this.log.error(`[${correlationId}] ${req.method} ${req.url}: ${detail}`.slice(0, 4000));
    }
    if (known?.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(Math.ceil(known.retryAfterSeconds)));
    void reply.status(known?.status ?? 500).send(errorBody(known, correlationId));
  }
}
