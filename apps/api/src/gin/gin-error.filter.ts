/**
 * The original Go API's error body (`errors.Response` with PodName/NodeName, dsa-TBD) for the
 * Gin-compatible controllers, with the status and Type each original handler answered: the
 * list's failures were 404 "Resource Not Found", create's 400 "Database Operation Error",
 * create_table's 500 "Database Operation Error". Our validation refuses what the original
 * passed to SQL; the message names the parameter. Scoped to these controllers, so the api's
 * own error contract stays in one global filter.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from '@iotmon/server-kit';
import { API_CONFIG, type ApiConfig } from '../config';

export interface GinErrorBody {
  Status: number;
  Type: string;
  PodName: string;
  NodeName: string;
  Message: string[];
}

const BY_ROUTE: Record<string, { status: number; type: string }> = {
  '/iot': { status: 404, type: 'Resource Not Found' },
  '/iot/create': { status: 400, type: 'Database Operation Error' },
  '/iot/create_table': { status: 500, type: 'Database Operation Error' },
};
const OTHERWISE = { status: 500, type: 'Internal Error' };

/** A validation failure (AppError.validation) lists its problems; nothing else does. */
interface WithProblems {
  errors?: { field: string; reason: string }[];
}

const log = new Logger('GinErrors');

@Catch()
export class GinErrorFilter implements ExceptionFilter {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // The original had no authentication; when these routes are closed, the guard's refusal
    // keeps its status (401, 403, 429) in the original body's shape.
    if (exception instanceof AuthError) {
      void reply.status(exception.status).send({
        Status: exception.status,
        Type: exception.status === 429 ? 'Too Many Requests' : 'Unauthorized',
        PodName: this.config.podName,
        NodeName: this.config.nodeName,
        Message: [exception.message],
      } satisfies GinErrorBody);
      return;
    }
    const { status, type } = BY_ROUTE[req.routeOptions.url ?? ''] ?? OTHERWISE;
    const problems = (exception as WithProblems | null)?.errors;
    let message: string[];
    if (problems?.length) {
      message = problems.map((p) => `${p.field} ${p.reason}`);
    } else {
      // Not the client's fault: the details go to the log, not to the client.
      log.error(
        `[${String(req.id)}] ${req.url}: ${(exception as Error)?.stack ?? String(exception)}`,
      );
      message = ['internal error'];
    }
    const body: GinErrorBody = {
      Status: status,
      Type: type,
      PodName: this.config.podName,
      NodeName: this.config.nodeName,
      Message: message,
    };
    void reply.status(status).send(body);
  }
}
