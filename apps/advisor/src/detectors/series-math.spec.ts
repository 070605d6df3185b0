import { rate, slope } from './series-math';

describe('series math', () => {
  it('counts a counter reset as a restart from zero', () => {
    expect(
      rate([
        [0, 100],
        [10_000, 200],
        [20_000, 50],
        [30_000, 150],
      ]),
    ).toBeCloseTo((100 + 50 + 100) / 30);
  });

  it('gives the least-squares slope per second', () => {
    expect(
      slope([
        [0, 0],
        [1000, 2],
        [2000, 4],
        [3000, 6],
      ]),
    ).toBeCloseTo(2);
  });
});
