/* global EventSource, setTimeout, clearTimeout */
/**
 * The live push: one Server-Sent Events stream from the alerting app (GET /live) with
 * `reading` and `alarm` events. Reconnects by itself with backoff; alarm changes missed
 * meanwhile are replayed by the server (lastEventId), readings by the caller's backfill
 * (`onReconnected`).
 */
import { reconnectDelay } from './backoff.js';

/**
 * @typedef {'connecting' | 'live' | 'reconnecting'} LiveState
 * @typedef {{
 *   url: string,
 *   lastEventId: () => string | null,
 *   onReading: (r: import('./live-store.js').Reading) => void,
 *   onAlarm: (e: import('./alarm-store.js').AlarmChangeEvent) => void,
 *   onState: (state: LiveState, detail: { attempt: number, retryInMs: number }) => void,
 *   onReconnected: () => void,
 * }} LiveOptions
 */

export class LiveConnection {
  /** @param {LiveOptions} opts */
  constructor(opts) {
    this.opts = opts;
    /** @type {EventSource | null} */
    this.source = null;
    /** @type {LiveState} */
    this.state = 'connecting';
    this.attempt = 0;
    this.everOpen = false;
    this.reconnects = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
  }

  start() {
    this.connect();
  }

  /** Drops the stream as a network failure would (also a hook for tests); it reconnects. */
  drop() {
    this.failed();
  }

  connect() {
    this.timer = undefined;
    const last = this.opts.lastEventId();
    const url = last ? `${this.opts.url}?lastEventId=${encodeURIComponent(last)}` : this.opts.url;
    const es = new EventSource(url);
    this.source = es;
    this.setState(this.everOpen ? 'reconnecting' : 'connecting', 0);
    es.addEventListener('open', () => {
      if (this.source !== es) return;
      const reconnected = this.everOpen;
      this.everOpen = true;
      this.attempt = 0;
      this.setState('live', 0);
      if (reconnected) {
        this.reconnects++;
        this.opts.onReconnected();
      }
    });
    es.addEventListener('reading', (ev) => {
      if (this.source !== es) return;
      const r = parse(/** @type {MessageEvent} */ (ev).data);
      if (r) this.opts.onReading(r);
    });
    es.addEventListener('alarm', (ev) => {
      if (this.source !== es) return;
      const e = parse(/** @type {MessageEvent} */ (ev).data);
      if (e) this.opts.onAlarm(e);
    });
    es.addEventListener('error', () => {
      if (this.source === es) this.failed();
    });
  }

  /** Closes the stream and schedules the next attempt (the browser's own retry is not used:
   * it would not back off and would not tell us when to backfill). */
  failed() {
    this.source?.close();
    this.source = null;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.attempt++;
    const delay = reconnectDelay(this.attempt);
    this.setState('reconnecting', delay);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** @param {LiveState} state @param {number} retryInMs */
  setState(state, retryInMs) {
    this.state = state;
    this.opts.onState(state, { attempt: this.attempt, retryInMs });
  }
}

/** @param {unknown} data */
function parse(data) {
  try {
    return typeof data === 'string' ? JSON.parse(data) : null;
  } catch {
    return null;
  }
}
