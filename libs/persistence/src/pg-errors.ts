/** How a failed statement is handled: PostgreSQL away (retry) or the data at fault (do not). */

/**
 * SQLSTATE classes that say the data is at fault (22 data exception, 23 integrity, 42 syntax
 * or undefined object): sending it again would fail again. Anything else (connection lost,
 * 57P01 admin shutdown, 57P03 starting up, 53300 too many connections, no code at all) is
 * PostgreSQL away, and worth a retry.
 */
export function isRefusedForData(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|42)/.test(code);
}

/**
 * Capped exponential backoff: 100 ms doubling up to `maxMs` (attempt 1 is the first retry).
 * The cap is 1 s: a retry against a PostgreSQL that refuses connections costs next to
 * nothing, and a longer cap would add up to that much to the recovery after it is back.
 */
export function retryDelayMs(attempt: number, maxMs = 1_000): number {
  return Math.min(maxMs, 100 * 2 ** Math.max(0, attempt - 1));
}
