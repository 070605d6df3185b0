/**
 * Shapes every error into the one body. A 500 says only "internal error" and the correlation
 * id; the details go to the log. (The api's Gin-compatible controllers keep the original Go
 * body with a filter scoped to them.)
 */
import { HttpException, HttpStatus } from '@nestjs/common';
import { AppError, CODE_BY_STATUS, type ErrorCode, type FieldProblem } from './app-error';

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  /** The field at fault: `name`, `[3].value` (batch item), `body` (unparseable body). */
  field?: string;
  /** Every problem found (validation). */
  errors?: FieldProblem[];
  correlationId: string;
}

/** Fastify's own errors (body parsing, limits) carry a statusCode and an FST_ code. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const aboutBody = (status: number, message: string, fstCode?: string) =>
  status === 413 ||
  status === 415 ||
  !!fstCode?.startsWith('FST_ERR_CTP') ||
  (status === 400 && /\bbody\b|JSON/i.test(message));

/** The AppError an error stands for, or undefined when it is internal (a 500). */
export function toAppError(e: unknown): AppError | undefined {
  if (e instanceof AppError) return e;
  if (e instanceof HttpException) {
    const status = e.getStatus();
    const code = CODE_BY_STATUS[status];
    if (!code || status >= 500) return undefined;
    return new AppError(status, code, e.message, aboutBody(status, e.message) ? 'body' : undefined);
  }
  const fe = e as FrameworkError | null;
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const message = fe.message ?? 'bad request';
    const code = CODE_BY_STATUS[fe.statusCode] ?? 'VALIDATION_FAILED';
    const field = aboutBody(fe.statusCode, message, fe.code) ? 'body' : undefined;
    return new AppError(fe.statusCode, code, message, field);
  }
  return undefined;
}

export function errorBody(known: AppError | undefined, correlationId: string): ErrorBody {
  if (!known) {
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL',
      message: 'internal error',
      correlationId,
    };
  }
  const body: ErrorBody = {
    statusCode: known.status,
    code: known.code,
    message: known.message,
    correlationId,
  };
  if (known.field !== undefined) body.field = known.field;
  if (known.errors?.length) body.errors = known.errors;
  return body;
}
