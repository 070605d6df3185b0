import { isRefusedForData, retryDelayMs } from './pg-errors';

describe('pg errors', () => {
  it('tells data refused (22, 23, 42) from PostgreSQL away (anything else)', () => {
    for (const code of ['22P02', '23514', '23505', '42P01'])
      expect(isRefusedForData({ code })).toBe(true);
    for (const e of [
      { code: '57P01' },
      { code: '08006' },
      { code: '53300' },
      new Error('ECONNREFUSED'),
      null,
    ])
      expect(isRefusedForData(e)).toBe(false);
  });

  it('backs off from 100 ms, doubling, capped', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(retryDelayMs(9, 5_000)).toBe(5_000);
  });
});
