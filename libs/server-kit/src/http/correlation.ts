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

/** MQTT v5 user property that carries a correlation id from publisher to consumer. */
export const CORRELATION_PROPERTY = 'correlation-id';

/**
 * The correlation id of an MQTT message: its `correlation-id` user property when the broker
 * speaks MQTT v5 and the publisher set a sane one, else a new one (one per message).
 */
export function correlationIdOfMessage(packet: {
  properties?: { userProperties?: Record<string, string | string[]> };
}): string {
  const given = packet.properties?.userProperties?.[CORRELATION_PROPERTY];
  const id = Array.isArray(given) ? given[0] : given;
  return typeof id === 'string' && SANE.test(id) ? id : randomUUID();
}
