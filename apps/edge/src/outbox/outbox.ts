/**
 * The durable outbox: every event and reading a node produced, kept (on disk, within size
 * and age limits) until the server says it is committed in PostgreSQL (CommitAck on
 * `env/{id}/ack`), not merely until the broker's PUBACK. Appends are flushed to disk in
 * groups and an item is handed out only once its group is durable. Items handed out and not
 * acked go back to waiting after a timeout or a reconnect and are sent again; the server's
 * keys make that idempotent. Events go out first and are never dropped while a reading is
 * left to drop. Each kind stays in capture order, so sends are in order per sensor.
 */
import type { ConstraintEvent, Reading, SeqRanges } from '@iotmon/domain';
import { OutboxFile } from './outbox-file';
import { NodeStateFile, type NodeState } from './node-state-file';

export type OutboxItem =
  | { kind: 'event'; event: ConstraintEvent; late: boolean; at: number }
  | { kind: 'reading'; reading: Reading; late: boolean; at: number };

export type OutboxKind = OutboxItem['kind'];

export interface OutboxLimits {
  /** Bytes of unacknowledged items; past it the oldest readings go first, then the oldest events. */
  maxBytes: number;
  /** Readings older than this are dropped; events are kept (only the size limit drops them). */
  maxAgeMs: number;
}

export interface OutboxOptions {
  /** Appends are written and fdatasync'ed at most this long after they were pushed. */
  flushMs?: number;
  /** Called when pushed items became durable and may be sent. */
  onDurable?: () => void;
  /** false: no fdatasync (the fsync bench's peer; never in a node). */
  sync?: boolean;
}

export interface OutboxStats {
  events: number;
  readings: number;
  bytes: number;
  /** Capture time of the oldest item not yet committed, or undefined. */
  oldestAt: number | undefined;
  dropped: { events: number; readings: number };
  /** Sent and waiting for the server's commit ack. */
  inFlight: number;
  /** Items acknowledged as committed by the server since start. */
  committed: number;
}

const WAITING = 0;
const SENT = 1;
const DONE = 2;

interface Entry {
  item: OutboxItem;
  line: string;
  bytes: number;
  seq: number | undefined;
  state: number;
  sentAt: number;
  durable: boolean;
}

/** The entries of one stream (a sensor's readings, or the events) in seq order, for acks. */
interface Stream {
  entries: Entry[];
  head: number;
}

/** One FIFO of entries in capture order with a moving head and a mirror file. */
class Queue {
  entries: Entry[] = [];
  head = 0;
  /** Everything before `cursor` is sent or done. */
  cursor = 0;
  /** Not yet committed (or dropped). */
  live = 0;
  liveBytes = 0;
  inFlight = 0;

  constructor(readonly file: OutboxFile | undefined) {}

  push(e: Entry): void {
    this.entries.push(e);
    this.live++;
    this.liveBytes += e.bytes;
  }

  /** Marks one entry committed or dropped. */
  finish(e: Entry): boolean {
    if (e.state === DONE) return false;
    if (e.state === SENT) this.inFlight--;
    e.state = DONE;
    this.live--;
    this.liveBytes -= e.bytes;
    return true;
  }

  /** Removes the done entries at the front, on disk too. */
  trim(): void {
    let n = 0;
    while (this.head + n < this.entries.length && this.entries[this.head + n].state === DONE) n++;
    if (n === 0) return;
    this.head += n;
    this.cursor = Math.max(this.cursor, this.head);
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
      this.cursor = 0;
    } else if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.cursor -= this.head;
      this.head = 0;
    }
    this.file?.consumed(n, this.entries.length === 0);
  }
}

export class Outbox {
  private readonly events: Queue;
  private readonly readings: Queue;
  private readonly streams = new Map<string, Stream>();
  private readonly dropped = { events: 0, readings: 0 };
  private committed = 0;
  private readonly stateFile: NodeStateFile | undefined;
  private readonly state: NodeState;
  private undurable: Entry[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly flushMs: number;
  /** Corrupt lines skipped while loading (e.g. a torn last line after a power cut). */
  readonly corrupt: number = 0;

  /** `dir` undefined keeps the outbox in memory only (tests, fleet runs without a disk). */
  constructor(
    readonly limits: OutboxLimits,
    dir?: string,
    private readonly now: () => number = Date.now,
    private readonly options: OutboxOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 10;
    const sync = options.sync ?? true;
    this.events = new Queue(dir ? new OutboxFile(dir, 'events', sync) : undefined);
    this.readings = new Queue(dir ? new OutboxFile(dir, 'readings', sync) : undefined);
    this.stateFile = dir ? new NodeStateFile(dir) : undefined;
    this.state = this.stateFile?.load() ?? { lastSeq: {}, open: [] };
    let corrupt = 0;
    for (const q of [this.events, this.readings]) {
      for (const line of q.file?.load() ?? []) {
        try {
          const item = JSON.parse(line) as OutboxItem;
          this.add(q, item, line, true);
        } catch {
          corrupt++;
        }
      }
    }
    this.corrupt = corrupt;
    this.enforce();
  }

  get size(): number {
    return this.events.live + this.readings.live;
  }

  /** Nothing waiting or in flight. */
  get empty(): boolean {
    return this.size === 0;
  }

  get inFlight(): number {
    return this.events.inFlight + this.readings.inFlight;
  }

  /** The last sequence number stored for a stream (a sensor kind, or `event`), 0 if none. */
  lastSeq(stream: string): number {
    return this.state.lastSeq[stream] ?? 0;
  }

  /** Alarms open at this node when it last ran. */
  get openAlarms(): ConstraintEvent[] {
    return this.state.open;
  }

  /** Records the alarms now open (on every raise or clear; rare next to readings). */
  setOpenAlarms(open: ConstraintEvent[]): void {
    this.state.open = open;
    this.stateFile?.save(this.state);
  }

  push(item: OutboxItem): void {
    const line = JSON.stringify(item);
    const q = item.kind === 'event' ? this.events : this.readings;
    const e = this.add(q, item, line, q.file === undefined);
    if (q.file) {
      q.file.append(line);
      this.undurable.push(e);
      this.scheduleFlush();
    } else {
      this.scheduleFlush();
    }
    this.enforce();
  }

  private add(q: Queue, item: OutboxItem, line: string, durable: boolean): Entry {
    const seq = item.kind === 'event' ? item.event.seq : item.reading.seq;
    const e: Entry = {
      item,
      line,
      bytes: line.length + 1,
      seq,
      state: WAITING,
      sentAt: 0,
      durable,
    };
    q.push(e);
    if (seq !== undefined) {
      const key = item.kind === 'event' ? 'event' : item.reading.sensor;
      let s = this.streams.get(key);
      if (!s) this.streams.set(key, (s = { entries: [], head: 0 }));
      s.entries.push(e);
      if (seq > (this.state.lastSeq[key] ?? 0)) this.state.lastSeq[key] = seq;
    }
    return e;
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    if (!this.events.file) {
      // In memory everything is "durable" at once; still one callback per turn.
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.options.onDurable?.();
      }, 0);
      return;
    }
    this.flushTimer = setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Writes and syncs the grouped appends; what they hold may then be sent. */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.flushing) {
      // One group at a time per node; what came meanwhile goes in the next one.
      const after = this.flushing.then(() => this.flush());
      return after;
    }
    const group = this.undurable;
    this.undurable = [];
    const files = [this.events.file, this.readings.file].filter((f) => f?.hasPending);
    const done = Promise.all(files.map((f) => f!.flushAsync())).then(
      () => {
        for (const e of group) e.durable = true;
        if (group.length > 0) this.options.onDurable?.();
      },
      () => {
        // The disk refused (full?): keep them waiting and try again with the next group.
        this.undurable = group.concat(this.undurable);
        this.scheduleFlush();
      },
    );
    const tracked = done.finally(() => {
      if (this.flushing === tracked) this.flushing = undefined;
    });
    this.flushing = tracked;
    return tracked;
  }

  /**
   * Takes up to `max` durable items that wait to be sent: events first, then readings,
   * oldest first. They stay until acked() or requeue().
   */
  take(max: number): OutboxItem[] {
    this.expire();
    const out: OutboxItem[] = [];
    const at = this.now();
    for (const q of [this.events, this.readings]) {
      let i = Math.max(q.cursor, q.head);
      while (i < q.entries.length && out.length < max) {
        const e = q.entries[i];
        if (!e.durable) break;
        if (e.state === WAITING) {
          if (e.seq === undefined) {
            // Left by an older version without sequence numbers: nothing will ack it.
            q.finish(e);
          } else {
            e.state = SENT;
            e.sentAt = at;
            q.inFlight++;
          }
          out.push(e.item);
        }
        i++;
      }
      q.cursor = i;
      q.trim();
      if (out.length >= max) break;
    }
    return out;
  }

  /** The server committed these seqs of a stream (a sensor kind, or `event`). */
  acked(stream: string, ranges: SeqRanges): number {
    const s = this.streams.get(stream);
    if (!s) return 0;
    const q = stream === 'event' ? this.events : this.readings;
    let n = 0;
    for (const [from, to] of ranges) {
      // Lower bound of `from` among the stream's entries (in seq order).
      let lo = s.head;
      let hi = s.entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((s.entries[mid].seq as number) < from) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < s.entries.length && (s.entries[i].seq as number) <= to; i++) {
        if (q.finish(s.entries[i])) n++;
      }
    }
    while (s.head < s.entries.length && s.entries[s.head].state === DONE) s.head++;
    if (s.head === s.entries.length) {
      s.entries = [];
      s.head = 0;
    } else if (s.head > 4096 && s.head * 2 > s.entries.length) {
      s.entries = s.entries.slice(s.head);
      s.head = 0;
    }
    this.committed += n;
    q.trim();
    if (q.file?.hasPending) this.scheduleFlush();
    if (q.entries.length === 0) this.stateFile?.save(this.state);
    return n;
  }

  /**
   * Sent items not acked within `timeoutMs` (all sent items when undefined, after a
   * reconnect) wait again, in their place. Returns how many.
   */
  requeue(timeoutMs?: number): number {
    const cutoff = timeoutMs === undefined ? Infinity : this.now() - timeoutMs;
    let n = 0;
    for (const q of [this.events, this.readings]) {
      if (q.inFlight === 0) continue;
      let first = -1;
      for (let i = q.head; i < q.cursor && i < q.entries.length; i++) {
        const e = q.entries[i];
        if (e.state === SENT && e.sentAt <= cutoff) {
          e.state = WAITING;
          q.inFlight--;
          n++;
          if (first < 0) first = i;
        }
      }
      if (first >= 0) q.cursor = first;
    }
    return n;
  }

  /** Writes what is grouped and the node state (on shutdown). */
  async close(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flushing?.catch(() => undefined);
    for (const f of [this.events.file, this.readings.file]) {
      await f?.settled();
      f?.close();
    }
    this.stateFile?.save(this.state);
  }

  stats(): OutboxStats {
    let oldestAt: number | undefined;
    for (const q of [this.events, this.readings]) {
      for (let i = q.head; i < q.entries.length; i++) {
        const e = q.entries[i];
        if (e.state === DONE) continue;
        if (oldestAt === undefined || e.item.at < oldestAt) oldestAt = e.item.at;
        break;
      }
    }
    return {
      events: this.events.live,
      readings: this.readings.live,
      bytes: this.events.liveBytes + this.readings.liveBytes,
      oldestAt,
      dropped: { ...this.dropped },
      inFlight: this.inFlight,
      committed: this.committed,
    };
  }

  /** Drops readings past the age limit. */
  private expire(): void {
    const q = this.readings;
    const cutoff = this.now() - this.limits.maxAgeMs;
    let n = 0;
    for (let i = q.head; i < q.entries.length && q.entries[i].item.at < cutoff; i++) {
      if (q.finish(q.entries[i])) n++;
    }
    if (n > 0) {
      this.dropped.readings += n;
      q.trim();
      this.compactStreams();
    }
  }

  /** Drops leave done entries in the ack index; skip them so it does not grow. */
  private compactStreams(): void {
    for (const [key, s] of this.streams) {
      while (s.head < s.entries.length && s.entries[s.head].state === DONE) s.head++;
      if (s.head === s.entries.length) this.streams.delete(key);
      else if (s.head > 4096 && s.head * 2 > s.entries.length) {
        s.entries = s.entries.slice(s.head);
        s.head = 0;
      }
    }
  }

  /** Size limit: the oldest readings go first; events only when no reading is left. */
  private enforce(): void {
    this.expire();
    let over = this.events.liveBytes + this.readings.liveBytes - this.limits.maxBytes;
    if (over <= 0) return;
    for (const q of [this.readings, this.events]) {
      let n = 0;
      for (let i = q.head; i < q.entries.length && over > 0; i++) {
        const e = q.entries[i];
        if (q.finish(e)) {
          over -= e.bytes;
          n++;
        }
      }
      if (n === 0) continue;
      if (q === this.events) this.dropped.events += n;
      else this.dropped.readings += n;
      q.trim();
      this.compactStreams();
      if (over <= 0) return;
    }
  }
}
