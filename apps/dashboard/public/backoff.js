/** Reconnect delays: exponential from `baseMs` to `maxMs`, with ±20 % jitter so that many
 * open dashboards do not reconnect in step after a server restart. */

/**
 * @param {number} attempt 1 for the first retry
 * @param {{ baseMs?: number, maxMs?: number }} [opts]
 * @param {() => number} [random]
 */
export function reconnectDelay(attempt, opts = {}, random = Math.random) {
  const base = opts.baseMs ?? 500;
  const max = opts.maxMs ?? 10_000;
  const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}
