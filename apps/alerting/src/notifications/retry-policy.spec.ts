import { nextRetryDelay } from './retry-policy';

describe('retry policy', () => {
  const policy = { maxAttempts: 5, backoffMs: 1000, backoffMaxMs: 5000 };

  it('doubles the delay per failed attempt up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => nextRetryDelay(policy, n))).toEqual([1000, 2000, 4000, 5000]);
  });

  it('dead-letters after the last attempt', () => {
    expect(nextRetryDelay(policy, 5)).toBeNull();
    expect(nextRetryDelay({ ...policy, maxAttempts: 1 }, 1)).toBeNull();
  });
});
