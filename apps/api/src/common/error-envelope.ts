/**
 * Shapes every error into the documented envelope (the Gin-compatible routes answer with the
 * original's body from their own filter, gin/gin-error.filter.ts). A 500 says only
 * "internal error" and the correlation id; the details go to the log.
 */
import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ApiError, type ErrorCode, type FieldProblem } from './api-error';

export interface ErrorEnvelope {
  statusCode: number;
  code: ErrorCode;
  message: string;
  field?: string;
  errors?: FieldProblem[];
  correlationId: string;
}

export interface Shaped {
  status: number;
  body: ErrorEnvelope | object;
}

const log = new Logger('Errors');

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** Fastify's own errors (body parsing, limits) carry a statusCode and an FST_ code. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

function toApiError(e: unknown): ApiError | undefined {
  if (e instanceof ApiError) return e;
  if (e instanceof HttpException) {
    const status = e.getStatus();
    const code = BY_STATUS[status];
    if (!code || status >= 500) return undefined;
    // Body parsing problems (bad JSON, size, media type) reach Nest as plain HTTP errors.
    const aboutBody =
      status === 413 || status === 415 || (status === 400 && /\bbody\b|JSON/i.test(e.message));
    return new ApiError(status, code, e.message, aboutBody ? 'body' : undefined);
  }
  const fe = e as FrameworkError | null;
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = BY_STATUS[fe.statusCode] ?? 'VALIDATION_FAILED';
    const field =
      fe.code?.startsWith('FST_ERR_CTP') ||
      fe.statusCode === 413 ||
      fe.statusCode === 415 ||
      /\bbody\b|JSON/i.test(fe.message ?? '')
        ? 'body'
        : undefined;
    return new ApiError(fe.statusCode, code, fe.message ?? 'bad request', field);
  }
  return undefined;
}

export function shapeError(e: unknown, ctx: { url: string; correlationId: string }): Shaped {
  // Readiness (terminus) reports which dependency is down: that body is the point of a 503.
  if (e instanceof HttpException && e.getStatus() === 503) {
    const body = e.getResponse();
    return { status: 503, body: typeof body === 'object' ? body : { message: body } };
  }
  const known = toApiError(e);
  if (!known) {
    log.error(
      `[${ctx.correlationId}] ${ctx.url}: ${(e as Error)?.stack ?? String(e)}`.slice(0, 4000),
    );
  }
  const status = known?.status ?? HttpStatus.INTERNAL_SERVER_ERROR;
  if (!known) {
    return {
      status,
      body: {
        statusCode: status,
        code: 'INTERNAL',
        message: 'internal error',
        correlationId: ctx.correlationId,
      },
    };
  }
  const body: ErrorEnvelope = {
    statusCode: status,
    code: known.code,
    message: known.message,
    correlationId: ctx.correlationId,
  };
  if (known.field !== undefined) body.field = known.field;
  if (known.errors?.length) body.errors = known.errors;
  return { status, body };
}
