/**
 * Webhook signatures: HMAC-SHA256 over `<timestamp>.<body>` with the subscription's secret,
 * sent as `X-Iotmon-Signature: t=<timestamp>,v1=<hex>`. Binding the timestamp lets a receiver
 * reject replays of old requests.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-iotmon-signature';
export const DELIVERY_HEADER = 'x-iotmon-delivery';

export function signBody(secret: string, body: string, timestampMs: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampMs}.${body}`).digest('hex');
  return `t=${timestampMs},v1=${mac}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const expected = Buffer.from(signBody(secret, body, Number(m[1])).split('v1=')[1], 'hex');
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}
