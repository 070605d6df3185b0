import { backoffDelay } from './backoff';

describe('reconnect backoff', () => {
  const o = { minMs: 500, maxMs: 30_000 };
  it('doubles from the minimum up to the maximum', () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 7, 20].map((n) => backoffDelay(n, o, mid))).toEqual([
      500, 1000, 2000, 4000, 30_000, 30_000,
    ]);
  });
  it('jitters within ±20 % but stays within the bounds', () => {
    expect(backoffDelay(3, o, () => 0)).toBe(1600);
    expect(backoffDelay(3, o, () => 0.999)).toBe(2399);
    expect(backoffDelay(1, o, () => 0)).toBe(500);
    expect(backoffDelay(30, o, () => 0.999)).toBe(30_000);
  });
});
