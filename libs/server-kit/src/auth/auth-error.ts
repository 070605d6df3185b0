/** Errors of the identity features with a stable code (400, 401, 403, 404, 409, 429). */
import { HttpException } from '@nestjs/common';

export class AuthError extends HttpException {
  constructor(
    status: 400 | 401 | 403 | 404 | 409 | 429,
    readonly code: string,
    message: string,
    /** Seconds until a retry can succeed (429): sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super({ statusCode: status, code, message }, status);
  }

  static unauthorized(message: string, code = 'unauthorized'): AuthError {
    return new AuthError(401, code, message);
  }

  static forbidden(message: string): AuthError {
    return new AuthError(403, 'forbidden', message);
  }

  static notFound(what: string, id: string): AuthError {
    return new AuthError(404, `${what}_not_found`, `${what} ${id} does not exist`);
  }

  static conflict(code: string, message: string): AuthError {
    return new AuthError(409, code, message);
  }

  static invalid(field: string, message: string): AuthError {
    return new AuthError(400, 'validation_failed', `${field} ${message}`);
  }
}
