/** Errors with a stable code; the global filter turns them into the HTTP body. */
export class AlertingError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AlertingError';
  }

  static notFound(what: string, id: string): AlertingError {
    return new AlertingError(`${what}_not_found`, 404, `${what} ${id} does not exist`);
  }

  static conflict(code: string, message: string): AlertingError {
    return new AlertingError(code, 409, message);
  }

  static invalid(field: string, message: string): AlertingError {
    return new AlertingError('validation_failed', 400, `${field} ${message}`);
  }
}
