/** Authentication and authorization failures: AppErrors, some with a Retry-After. */
import { AppError, type ErrorCode } from '../errors/app-error';

export class AuthError extends AppError {
  constructor(
    status: 401 | 403 | 429,
    code: ErrorCode,
    message: string,
    /** Seconds until a retry can succeed (429): sent as Retry-After (AppError's). */
    retryAfterSeconds?: number,
  ) {
    super(status, code, message, undefined, undefined, retryAfterSeconds);
    this.name = 'AuthError';
  }

  static override unauthorized(message: string, code: ErrorCode = 'UNAUTHORIZED'): AuthError {
    return new AuthError(401, code, message);
  }

  static override forbidden(message: string): AuthError {
    return new AuthError(403, 'FORBIDDEN', message);
  }
}
