import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows `limit` hits per key and window, then refuses until the window ends', () => {
    let t = 1_000_000;
    const l = new RateLimiter(3, 10_000, 100, () => t);
    expect([1, 2, 3].map(() => l.hit('a').allowed)).toEqual([true, true, true]);
    const refused = l.hit('a');
    expect(refused).toEqual({ allowed: false, limit: 3, remaining: 0, resetSeconds: 10 });
    expect(l.hit('b').allowed).toBe(true); // keys are independent
    t += 4_000;
    expect(l.hit('a').resetSeconds).toBe(6);
    t += 6_000;
    expect(l.hit('a')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('keeps at most maxKeys windows', () => {
    const l = new RateLimiter(1, 60_000, 2, () => 0);
    l.hit('a');
    l.hit('b');
    l.hit('c'); // evicts a, the oldest
    expect(l.hit('a').allowed).toBe(true);
    expect(l.hit('c').allowed).toBe(false);
  });
});
