import { parseThreshold, percentilesUsed, thresholdHolds, WRITE_THRESHOLDS } from './thresholds';

describe('thresholds', () => {
  it('parses k6 expressions', () => {
    expect(parseThreshold('p(95)<500')).toEqual({ stat: 'p(95)', op: '<', value: 500 });
    expect(parseThreshold(' rate <= 0.01 ')).toEqual({ stat: 'rate', op: '<=', value: 0.01 });
    expect(parseThreshold('p(99.9)>=1.5')).toEqual({ stat: 'p(99.9)', op: '>=', value: 1.5 });
    expect(() => parseThreshold('p95 < 500')).toThrow(SyntaxError);
    expect(() => parseThreshold('avg<')).toThrow(SyntaxError);
  });

  it('evaluates against summary statistics', () => {
    const stats = { 'p(95)': 480, rate: 0.02, avg: 100 };
    expect(thresholdHolds('p(95)<500', stats)).toBe(true);
    expect(thresholdHolds('p(95)<480', stats)).toBe(false);
    expect(thresholdHolds('p(95)<=480', stats)).toBe(true);
    expect(thresholdHolds('rate<0.01', stats)).toBe(false);
    expect(thresholdHolds('avg>50', stats)).toBe(true);
    expect(thresholdHolds('avg!=100', stats)).toBe(false);
  });

  it('fails a threshold whose statistic is missing', () => {
    expect(thresholdHolds('p(99)<1000', { 'p(95)': 1 })).toBe(false);
  });

  it('lists the percentiles a set needs', () => {
    expect(percentilesUsed(WRITE_THRESHOLDS)).toEqual([95, 99]);
  });
});
