/** The one global exception filter: every error leaves through shapeError. */
import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_CONFIG, type ApiConfig } from '../config';
import { shapeError } from './error-envelope';

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body } = shapeError(exception, {
      url: req.url,
      correlationId: String(req.id),
      podName: this.config.podName,
      nodeName: this.config.nodeName,
    });
    void reply.status(status).send(body);
  }
}
