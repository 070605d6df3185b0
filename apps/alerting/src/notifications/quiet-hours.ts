/**
 * Quiet hours are stored as minutes after local midnight (`quiet_from`, `quiet_to`) in an
 * IANA time zone; the outbox statement (outbox-sql.ts) holds non-critical notifications that
 * fall inside until the window ends. These helpers convert the REST "HH:MM" form.
 */

/** "22:30" -> 1350. */
export function parseClock(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** 1350 -> "22:30". */
export function formatClock(minutes: number): string {
  const h = String(Math.floor(minutes / 60)).padStart(2, '0');
  return `${h}:${String(minutes % 60).padStart(2, '0')}`;
}
