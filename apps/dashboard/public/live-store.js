/**
 * Every series the page keeps, bounded: one SeriesWindow per (device, sensor), the least
 * recently updated series dropped past `maxSeries`, and per-device last-seen times. Memory is
 * O(maxSeries × window) whatever the fleet sends. It also says where a backfill after a
 * reconnect starts.
 */
import { DEFAULT_WINDOW, SeriesWindow, clampWindow } from './series-window.js';

/**
 * @typedef {{ deviceId: string, sensor: string, value: number, ts: number, seq?: number | null }} Reading
 */

const SEP = '\u0000';

export class LiveStore {
  /** @param {{ windowSize?: number, maxSeries?: number, maxDevices?: number }} [opts] */
  constructor(opts = {}) {
    this.windowSize = clampWindow(opts.windowSize ?? DEFAULT_WINDOW);
    this.maxSeries = opts.maxSeries ?? 400;
    this.maxDevices = opts.maxDevices ?? 1000;
    /** @type {Map<string, SeriesWindow>} insertion order = least recently updated first */
    this.series = new Map();
    /** @type {Map<string, number>} device id -> newest reading ts */
    this.lastSeen = new Map();
  }

  /**
   * Adds one reading; returns its window when the reading was new, else null.
   * @param {Reading} r
   */
  ingest(r) {
    if (typeof r.deviceId !== 'string' || typeof r.sensor !== 'string') return null;
    const w = this.window(r.deviceId, r.sensor);
    if (!w.add(r)) return null;
    const key = r.deviceId + SEP + r.sensor;
    // Move to the back: the front is what gets dropped when the store is full.
    this.series.delete(key);
    this.series.set(key, w);
    const seen = this.lastSeen.get(r.deviceId);
    if (seen === undefined || r.ts > seen) {
      this.lastSeen.delete(r.deviceId);
      this.lastSeen.set(r.deviceId, r.ts);
      if (this.lastSeen.size > this.maxDevices) {
        const oldest = this.lastSeen.keys().next().value;
        if (oldest !== undefined) this.lastSeen.delete(oldest);
      }
    }
    return w;
  }

  /**
   * The window of (device, sensor), created empty when missing.
   * @param {string} deviceId @param {string} sensor
   */
  window(deviceId, sensor) {
    const key = deviceId + SEP + sensor;
    let w = this.series.get(key);
    if (!w) {
      w = new SeriesWindow(this.windowSize);
      this.series.set(key, w);
      while (this.series.size > this.maxSeries) {
        const oldest = this.series.keys().next().value;
        if (oldest === undefined) break;
        this.series.delete(oldest);
      }
    }
    return w;
  }

  /**
   * Sensors with a window for this device, sorted.
   * @param {string} deviceId
   */
  sensorsOf(deviceId) {
    const out = [];
    for (const key of this.series.keys()) {
      const [d, s] = key.split(SEP);
      if (d === deviceId) out.push(s);
    }
    return out.sort();
  }

  /** @param {number} size */
  resize(size) {
    this.windowSize = clampWindow(size);
    for (const w of this.series.values()) w.resize(this.windowSize);
  }

  /**
   * Where to start reading /readings after the push came back: the oldest "newest reading"
   * among the series, so that no series misses what was stored while the page was away; not
   * further back than `maxSpanMs`. Readings already held are dropped as duplicates. Null when
   * nothing has been received yet (the history load covers that case).
   * @param {number} now @param {number} maxSpanMs
   */
  backfillFrom(now, maxSpanMs) {
    let from = Infinity;
    for (const w of this.series.values())
      if (w.lastTs < from && w.lastTs > -Infinity) from = w.lastTs;
    if (from === Infinity) return null;
    return Math.max(from, now - maxSpanMs);
  }
}
