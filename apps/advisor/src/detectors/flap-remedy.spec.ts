import { flapRemedy, niceCeil, raisesWithDebounce, raisesWithHysteresis } from './flap-remedy';

const rule = { op: '>' as const, value: 30 };

describe('flap remedy', () => {
  it('counts every crossing of a plain threshold as a raise', () => {
    expect(raisesWithHysteresis([29, 31, 29, 31, 29, 31], rule, 0)).toBe(3);
  });

  it('finds the smallest clear band that leaves one raise, and checks it by replay', () => {
    const values = [29.6, 30.3, 29.7, 30.2, 29.5, 30.4, 29.8, 30.1, 29.6, 30.3];
    const r = flapRemedy(values, rule);
    expect(r.raisesNow).toBe(5);
    expect(r.hysteresisGap).toBe(0.5);
    expect(raisesWithHysteresis(values, rule, r.hysteresisGap!)).toBe(1);
    expect(raisesWithHysteresis(values, rule, 0.2)).toBeGreaterThan(1);
  });

  it('finds the debounce length that holds through the noise', () => {
    const values = [29, 31, 29, 31, 31, 31, 31, 29, 31, 31, 31, 31];
    const r = flapRemedy(values, rule);
    expect(raisesWithDebounce(values, rule, r.debounceSamples!)).toBeLessThanOrEqual(1);
    expect(raisesWithDebounce(values, rule, r.debounceSamples! - 1)).toBeGreaterThan(1);
  });

  it('rounds settings to 1, 2 or 5 times a power of ten', () => {
    expect([0.13, 0.4, 0.5, 3, 7, 42].map(niceCeil)).toEqual([0.2, 0.5, 0.5, 5, 10, 50]);
  });
});
