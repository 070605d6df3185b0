/**
 * The one error vocabulary of every HTTP app: features throw an AppError with a stable code,
 * the global ErrorFilter turns it into the ErrorBody.
 */
import { HttpStatus } from '@nestjs/common';

/** One problem with one field, e.g. of item 3 of a readings batch. */
export interface FieldProblem {
  /** Position in a batch; absent for a single object or a query parameter. */
  index?: number;
  field: string;
  reason: string;
}

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'INVALID_READINGS',
  'BODY_TOO_LARGE',
  'UNAUTHORIZED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'ACCOUNT_LOCKED',
  'BAD_GATEWAY',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The code a plain HTTP status stands for (framework errors, Nest's HttpExceptions). */
export const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
};

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly errors?: FieldProblem[],
    /** Sent as `Retry-After` (seconds): when a client should try again (503, 429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** 400 naming the first field at fault (`[3].value` in a batch) and listing every problem. */
  static validation(problems: FieldProblem[], code: ErrorCode = 'VALIDATION_FAILED'): AppError {
    const first = problems[0];
    const where = first.index === undefined ? first.field : `[${first.index}].${first.field}`;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return new AppError(
      HttpStatus.BAD_REQUEST,
      code,
      `${where} ${first.reason}${more}`,
      where,
      problems,
    );
  }

  /** 400 for one field: `AppError.invalid('until', 'must be in the future')`. */
  static invalid(field: string, reason: string): AppError {
    return AppError.validation([{ field, reason }]);
  }

  /** 404: `AppError.notFound('alarm 42')` says "alarm 42 not found". */
  static notFound(what: string): AppError {
    return new AppError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);
  }

  static conflict(message: string, field?: string): AppError {
    return new AppError(HttpStatus.CONFLICT, 'CONFLICT', message, field);
  }

  static unauthorized(message: string): AppError {
    return new AppError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', message);
  }

  static forbidden(message: string): AppError {
    return new AppError(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
  }

  /** 503 with `Retry-After`: the app cannot take this now (a full queue, its database away). */
  static unavailable(message: string, retryAfterSeconds: number): AppError {
    return new AppError(
      HttpStatus.SERVICE_UNAVAILABLE,
      'SERVICE_UNAVAILABLE',
      message,
      undefined,
      undefined,
      retryAfterSeconds,
    );
  }

  /** 502: a peer this app depends on did not answer. */
  static badGateway(message: string): AppError {
    return new AppError(HttpStatus.BAD_GATEWAY, 'BAD_GATEWAY', message);
  }
}
