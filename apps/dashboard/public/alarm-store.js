/**
 * The alarm feed's state: alarm episodes by id, merged from GET /alerts pages and live
 * `alarm` events in any order (a stale copy never overwrites a newer one), filtered for
 * display, and bounded (cleared episodes go first when it is full).
 */
import { severityInfo } from './format.js';

/**
 * @typedef {{
 *   id: string, deviceId: string, sensor: string, ruleId: string, state: string,
 *   severity: string, message: string, firstAt: string, lastAt: string, count: number,
 *   lastValue?: number, peakValue?: number, acknowledgedBy?: string | null,
 *   acknowledgedAt?: string | null, updatedAt: string,
 * }} AlarmView
 * @typedef {{ id: string, change: string, at: string, alarm: AlarmView }} AlarmChangeEvent
 * @typedef {{ states?: string[], severities?: string[], deviceId?: string, text?: string }} AlarmFilter
 */

export class AlarmStore {
  /** @param {number} [max] */
  constructor(max = 500) {
    this.max = max;
    /** @type {Map<string, AlarmView>} */
    this.byId = new Map();
    /** Newest alarm-history id seen on the live feed (sent back as Last-Event-ID). */
    this.lastEventId = /** @type {string | null} */ (null);
    this.version = 0;
  }

  /**
   * Inserts or updates an episode unless the stored copy is newer. Returns true on a change.
   * @param {AlarmView} a
   */
  upsert(a) {
    if (!a || typeof a.id !== 'string') return false;
    const cur = this.byId.get(a.id);
    if (cur && Date.parse(cur.updatedAt) > Date.parse(a.updatedAt)) return false;
    if (cur && cur.updatedAt === a.updatedAt && cur.state === a.state && cur.count === a.count) {
      return false;
    }
    this.byId.set(a.id, a);
    this.trim();
    this.version++;
    return true;
  }

  /**
   * A live `alarm` event (AlarmChangeEvent); remembers its id for Last-Event-ID.
   * @param {AlarmChangeEvent} e
   */
  apply(e) {
    if (e && typeof e.id === 'string' && /^\d+$/.test(e.id)) {
      if (this.lastEventId === null || BigInt(e.id) > BigInt(this.lastEventId)) {
        this.lastEventId = e.id;
      }
    }
    return e && e.alarm ? this.upsert(e.alarm) : false;
  }

  /**
   * Episodes matching the filter: open ones first, then by severity, newest first.
   * @param {AlarmFilter} [f]
   */
  list(f = {}) {
    const text = (f.text ?? '').trim().toLowerCase();
    const out = [];
    for (const a of this.byId.values()) {
      if (f.states && f.states.length > 0 && !f.states.includes(a.state)) continue;
      if (f.severities && f.severities.length > 0 && !f.severities.includes(a.severity)) continue;
      if (f.deviceId && a.deviceId !== f.deviceId) continue;
      if (
        text &&
        !`${a.deviceId} ${a.sensor} ${a.ruleId} ${a.message}`.toLowerCase().includes(text)
      ) {
        continue;
      }
      out.push(a);
    }
    return out.sort(
      (a, b) =>
        Number(a.state === 'cleared') - Number(b.state === 'cleared') ||
        severityInfo(b.severity).rank - severityInfo(a.severity).rank ||
        Date.parse(b.lastAt) - Date.parse(a.lastAt),
    );
  }

  /** Counts of open (not cleared) episodes by severity, for the header. */
  openCounts() {
    /** @type {Record<string, number>} */
    const counts = { critical: 0, warning: 0, info: 0 };
    for (const a of this.byId.values()) {
      if (a.state !== 'cleared') counts[a.severity] = (counts[a.severity] ?? 0) + 1;
    }
    return counts;
  }

  /** Drops the oldest cleared episodes, then the oldest of any state, past `max`. */
  trim() {
    if (this.byId.size <= this.max) return;
    const byAge = [...this.byId.values()].sort(
      (a, b) =>
        Number(b.state === 'cleared') - Number(a.state === 'cleared') ||
        Date.parse(a.updatedAt) - Date.parse(b.updatedAt),
    );
    for (const a of byAge.slice(0, this.byId.size - this.max)) this.byId.delete(a.id);
  }
}
