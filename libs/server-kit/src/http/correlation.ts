/** Correlation ids: taken from x-correlation-id / x-request-id when sane, else generated. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Letters, digits and `._:-`, at most 128: nothing a log line or a header could be bent by. */
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationIdOf(req: Pick<IncomingMessage, 'headers'>): string {
  const given = req.headers[CORRELATION_HEADER] ?? req.headers['x-request-id'];
  return typeof given === 'string' && SANE.test(given) ? given : randomUUID();
}
