/**
 * One sensor's chart data: a bounded, time-ordered window of readings without duplicates.
 * A reading is identified by (ts, seq) within its (device, sensor) window, the same key the
 * api uses for idempotent ingestion, so a reading that arrives twice (live push and the
 * backfill after a reconnect) is kept once. History buckets from /readings/aggregate fill
 * the window before the first raw reading and slide out as live readings arrive.
 */

/**
 * @typedef {{ ts: number, value: number, seq?: number | null }} Point
 * @typedef {{ ts: number, value: number, seq: number | null }} StoredPoint
 */

/** Default window length, as in the original dashboard. */
export const DEFAULT_WINDOW = 50;
export const MIN_WINDOW = 2;
export const MAX_WINDOW = 2000;

/**
 * Orders by ts, then seq (a reading without seq sorts before any with one at the same ts).
 * @param {number} tsA @param {number | null} seqA @param {number} tsB @param {number | null} seqB
 */
function compare(tsA, seqA, tsB, seqB) {
  if (tsA !== tsB) return tsA - tsB;
  return (seqA ?? -1) - (seqB ?? -1);
}

export class SeriesWindow {
  /** @param {number} capacity */
  constructor(capacity = DEFAULT_WINDOW) {
    /** @type {number} */
    this.capacity = clampWindow(capacity);
    /** @type {StoredPoint[]} raw readings, ascending by (ts, seq) */
    this.points = [];
    /** @type {StoredPoint[]} aggregate buckets shown before the first raw reading */
    this.history = [];
    /** Newest ts of any raw reading ever added (kept when it slides out): backfill starts here. */
    this.lastTs = -Infinity;
    /** Bumped on every change so that a chart redraws only when needed. */
    this.version = 0;
  }

  get size() {
    return this.points.length;
  }

  /**
   * Adds one raw reading. Returns false for a duplicate, a non-finite value, or a reading older
   * than everything in a full window (it would slide out at once).
   * @param {Point} p
   */
  add(p) {
    if (!Number.isFinite(p.ts) || !Number.isFinite(p.value)) return false;
    const seq = typeof p.seq === 'number' ? p.seq : null;
    const pts = this.points;
    // Live readings almost always come last: check the tail before searching.
    let i = pts.length;
    if (i > 0 && compare(p.ts, seq, pts[i - 1].ts, pts[i - 1].seq) <= 0) {
      i = this.search(p.ts, seq);
      if (i < pts.length && compare(p.ts, seq, pts[i].ts, pts[i].seq) === 0) return false;
      if (i === 0 && pts.length >= this.capacity) return false;
    }
    pts.splice(i, 0, { ts: p.ts, value: p.value, seq });
    if (pts.length > this.capacity) pts.splice(0, pts.length - this.capacity);
    if (p.ts > this.lastTs) this.lastTs = p.ts;
    this.version++;
    return true;
  }

  /**
   * Adds many readings (a backfill page); returns how many were new.
   * @param {Iterable<Point>} ps
   */
  addMany(ps) {
    let added = 0;
    for (const p of ps) if (this.add(p)) added++;
    return added;
  }

  /**
   * Replaces the history buckets (ascending or not; at most `capacity` newest are kept).
   * @param {Point[]} buckets
   */
  setHistory(buckets) {
    this.history = buckets
      .filter((b) => Number.isFinite(b.ts) && Number.isFinite(b.value))
      .map((b) => ({ ts: b.ts, value: b.value, seq: null }))
      .sort((a, b) => a.ts - b.ts)
      .slice(-this.capacity);
    this.version++;
  }

  /** @param {number} capacity */
  resize(capacity) {
    this.capacity = clampWindow(capacity);
    if (this.points.length > this.capacity) {
      this.points.splice(0, this.points.length - this.capacity);
    }
    this.version++;
  }

  /** What the chart shows: history before the first raw reading, then raw readings, capped. */
  visible() {
    const first = this.points.length > 0 ? this.points[0].ts : Infinity;
    const room = this.capacity - this.points.length;
    const hist = room > 0 ? this.history.filter((h) => h.ts < first).slice(-room) : [];
    return hist.concat(this.points);
  }

  /**
   * uPlot's columnar data: x in seconds (uPlot's time unit), y values.
   * @returns {[number[], number[]]}
   */
  chartData() {
    const v = this.visible();
    return [v.map((p) => p.ts / 1000), v.map((p) => p.value)];
  }

  /**
   * First index whose key is >= (ts, seq).
   * @param {number} ts @param {number | null} seq
   */
  search(ts, seq) {
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.points[mid];
      if (compare(m.ts, m.seq, ts, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * A window length from user input (URL parameter, form), clamped; DEFAULT_WINDOW if invalid.
 * @param {unknown} v
 */
export function clampWindow(v) {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) return DEFAULT_WINDOW;
  return Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, n));
}
