/** The coded error every feature throws; the global filter turns it into the error envelope. */
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
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_MANY_REQUESTS',
  'UNSUPPORTED_MEDIA_TYPE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly errors?: FieldProblem[],
  ) {
    super(message);
  }

  static validation(problems: FieldProblem[], code: ErrorCode = 'VALIDATION_FAILED'): ApiError {
    const first = problems[0];
    const where = first.index === undefined ? first.field : `[${first.index}].${first.field}`;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return new ApiError(
      HttpStatus.BAD_REQUEST,
      code,
      `${where} ${first.reason}${more}`,
      where,
      problems,
    );
  }

  static notFound(what: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);
  }
}
