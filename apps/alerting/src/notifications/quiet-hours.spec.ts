import { formatClock, parseClock } from './quiet-hours';

describe('quiet hours clock times', () => {
  it('parses and formats HH:MM', () => {
    expect(parseClock('07:05')).toBe(425);
    expect(parseClock('23:59')).toBe(1439);
    expect(formatClock(425)).toBe('07:05');
    expect(formatClock(0)).toBe('00:00');
  });
});
