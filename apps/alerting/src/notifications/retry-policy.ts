/** Exponential backoff with a cap; the attempt after `maxAttempts` failures is dead-lettered. */
export interface RetryPolicy {
  maxAttempts: number;
  backoffMs: number;
  backoffMaxMs: number;
}

/** Delay before the next try after `attempts` failed attempts, or null when it is dead. */
export function nextRetryDelay(policy: RetryPolicy, attempts: number): number | null {
  if (attempts >= policy.maxAttempts) return null;
  return Math.min(policy.backoffMaxMs, policy.backoffMs * 2 ** (attempts - 1));
}
