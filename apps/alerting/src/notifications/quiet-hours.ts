/**
 * Quiet hours: a daily window [from, to) in minutes after local midnight in a time zone.
 * Non-critical notifications that fall inside are held until the window ends; critical
 * ones go out at once.
 */
export interface QuietHours {
  from: number;
  to: number;
  tz: string;
}

function localMinutes(at: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** When a notification created at `at` may be sent: `at` itself outside quiet hours. */
export function releaseTime(at: Date, q: QuietHours | null): Date {
  if (!q || q.from === q.to) return at;
  const now = localMinutes(at, q.tz);
  const inside = q.from < q.to ? now >= q.from && now < q.to : now >= q.from || now < q.to;
  if (!inside) return at;
  const wait = (q.to - now + 1440) % 1440;
  const release = new Date(at.getTime() + wait * 60_000);
  release.setUTCSeconds(0, 0);
  return release;
}

/** "22:30" -> 1350. */
export function parseClock(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
