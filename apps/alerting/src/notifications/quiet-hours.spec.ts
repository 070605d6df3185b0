import { formatClock, isValidTimeZone, parseClock, releaseTime } from './quiet-hours';

describe('quiet hours', () => {
  const at = (iso: string) => new Date(iso);

  it('sends at once outside quiet hours or without them', () => {
    const t = at('2026-11-01T12:00:00Z');
    expect(releaseTime(t, null)).toBe(t);
    expect(releaseTime(t, { from: parseClock('22:00'), to: parseClock('07:00'), tz: 'UTC' })).toBe(
      t,
    );
  });

  it('holds until the end of an overnight window', () => {
    const q = { from: parseClock('22:00'), to: parseClock('07:00'), tz: 'UTC' };
    expect(releaseTime(at('2026-11-01T23:30:10Z'), q).toISOString()).toBe(
      '2026-11-02T07:00:00.000Z',
    );
    expect(releaseTime(at('2026-11-02T03:15:00Z'), q).toISOString()).toBe(
      '2026-11-02T07:00:00.000Z',
    );
    expect(releaseTime(at('2026-11-02T07:00:00Z'), q).toISOString()).toBe(
      '2026-11-02T07:00:00.000Z',
    );
  });

  it('holds until the end of a same-day window in the subscription time zone', () => {
    const q = { from: parseClock('12:00'), to: parseClock('14:00'), tz: 'Europe/Berlin' };
    // 12:30 in Berlin (UTC+1 in November) is 11:30 UTC; release at 14:00 Berlin = 13:00 UTC.
    expect(releaseTime(at('2026-11-01T11:30:00Z'), q).toISOString()).toBe(
      '2026-11-01T13:00:00.000Z',
    );
    expect(releaseTime(at('2026-11-01T10:30:00Z'), q).toISOString()).toBe(
      '2026-11-01T10:30:00.000Z',
    );
  });

  it('parses and formats clock times and checks time zones', () => {
    expect(parseClock('07:05')).toBe(425);
    expect(formatClock(425)).toBe('07:05');
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
