/**
 * Reconnect with exponential backoff and jitter. mqtt.js retries at a fixed
 * `reconnectPeriod`; it reads that option before each retry, so we set it per attempt.
 */
import type { MqttClient } from 'mqtt';

export interface BackoffOptions {
  minMs: number;
  maxMs: number;
}

/** Delay before attempt `attempt` (1-based): min·2^(n-1), capped, with ±20 % jitter. */
export function backoffDelay(
  attempt: number,
  o: BackoffOptions,
  random: () => number = Math.random,
): number {
  const base = Math.min(o.maxMs, o.minMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.max(o.minMs, Math.min(o.maxMs, Math.round(base * (0.8 + 0.4 * random()))));
}

export function attachBackoff(client: MqttClient, o: BackoffOptions): void {
  let attempt = 0;
  client.options.reconnectPeriod = backoffDelay(1, o);
  client.on('connect', () => {
    attempt = 0;
    client.options.reconnectPeriod = backoffDelay(1, o);
  });
  // Emitted as each retry starts; the period set here is the wait after it fails.
  client.on('reconnect', () => {
    attempt++;
    client.options.reconnectPeriod = backoffDelay(attempt + 1, o);
  });
}
