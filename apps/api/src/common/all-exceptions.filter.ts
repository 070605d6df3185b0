/** The one global exception filter: every error leaves through shapeError. */
import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { shapeError } from './error-envelope';

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body } = shapeError(exception, {
      url: req.url,
      correlationId: String(req.id),
    });
    void reply.status(status).send(body);
  }
}
