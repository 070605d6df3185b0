/**
 * The durable outbox: events and raw readings that could not be published yet, kept on disk
 * (JSON lines, one file per kind) within size and age limits. Events go out first and are
 * never dropped while a raw reading is left to drop. Each kind stays in capture order, so
 * replay is in order per sensor.
 */
import type { ConstraintEvent, Reading } from '@iotmon/domain';
import { OutboxFile } from './outbox-file';

export type OutboxItem =
  | { kind: 'event'; event: ConstraintEvent; late: boolean; at: number }
  | { kind: 'reading'; reading: Reading; late: boolean; at: number };

export type OutboxKind = OutboxItem['kind'];

export interface OutboxLimits {
  /** Total bytes of both queues; past it the oldest readings go first, then the oldest events. */
  maxBytes: number;
  /** Readings older than this are dropped; events are kept (only the size limit drops them). */
  maxAgeMs: number;
}

export interface OutboxStats {
  events: number;
  readings: number;
  bytes: number;
  /** Capture time of the oldest item still waiting (taken or queued), or undefined. */
  oldestAt: number | undefined;
  dropped: { events: number; readings: number };
  inFlight: number;
}

interface Entry {
  item: OutboxItem;
  line: string;
  bytes: number;
}

/** One FIFO of entries with a moving head (no O(n) shift) and a mirror file. */
class Queue {
  entries: Entry[] = [];
  head = 0;
  bytes = 0;
  /** Taken for publishing and not acked yet; they stay in the file until acked. */
  taken = 0;

  constructor(readonly file: OutboxFile | undefined) {}

  get length(): number {
    return this.entries.length - this.head;
  }

  /** Entries neither taken nor acked. */
  get waiting(): number {
    return this.length - this.taken;
  }

  push(e: Entry): void {
    this.entries.push(e);
    this.bytes += e.bytes;
  }

  at(i: number): Entry {
    return this.entries[this.head + i];
  }

  /** Removes `n` entries from the front (acked ones, or drops while nothing is taken). */
  shift(n: number): void {
    for (let i = 0; i < n; i++) this.bytes -= this.entries[this.head + i].bytes;
    this.head += n;
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Removes the entry right after the taken ones (the oldest still waiting). */
  dropOldestWaiting(): void {
    const i = this.head + this.taken;
    this.bytes -= this.entries[i].bytes;
    this.entries.splice(i, 1);
  }

  lines(): string[] {
    const out: string[] = [];
    for (let i = this.head; i < this.entries.length; i++) out.push(this.entries[i].line);
    return out;
  }
}

export class Outbox {
  private readonly events: Queue;
  private readonly readings: Queue;
  private readonly dropped = { events: 0, readings: 0 };
  /** Corrupt lines skipped while loading (e.g. a torn last line after a power cut). */
  readonly corrupt: number = 0;

  /** `dir` undefined keeps the outbox in memory only (fleet mode, tests). */
  constructor(
    readonly limits: OutboxLimits,
    dir?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.events = new Queue(dir ? new OutboxFile(dir, 'events') : undefined);
    this.readings = new Queue(dir ? new OutboxFile(dir, 'readings') : undefined);
    let corrupt = 0;
    for (const q of [this.events, this.readings]) {
      for (const line of q.file?.load() ?? []) {
        try {
          const item = JSON.parse(line) as OutboxItem;
          q.push({ item, line, bytes: line.length + 1 });
        } catch {
          corrupt++;
        }
      }
    }
    this.corrupt = corrupt;
    this.enforce();
  }

  get size(): number {
    return this.events.length + this.readings.length;
  }

  /** Nothing queued or in flight: live messages may bypass the outbox. */
  get empty(): boolean {
    return this.size === 0;
  }

  push(item: OutboxItem): void {
    const line = JSON.stringify(item);
    const q = item.kind === 'event' ? this.events : this.readings;
    q.push({ item, line, bytes: line.length + 1 });
    q.file?.append(line);
    this.enforce();
  }

  /**
   * Takes up to `max` waiting items for publishing: events first, then readings, oldest
   * first. Call ack() once they are delivered or release() if they were not.
   */
  take(max: number): OutboxItem[] {
    this.expire();
    const q = this.events.waiting > 0 ? this.events : this.readings;
    const n = Math.min(max, q.waiting);
    const out: OutboxItem[] = [];
    for (let i = 0; i < n; i++) out.push(q.at(q.taken + i).item);
    q.taken += n;
    return out;
  }

  /** The first `n` taken items of `kind` were delivered. */
  ack(kind: OutboxKind, n: number): void {
    const q = kind === 'event' ? this.events : this.readings;
    q.shift(n);
    q.taken -= n;
    q.file?.consumed(n, q.length === 0);
  }

  /** Taken items were not delivered: they go back to the front, in order. */
  release(kind: OutboxKind): void {
    (kind === 'event' ? this.events : this.readings).taken = 0;
  }

  /** Writes appends still grouped for this event-loop turn (on shutdown). */
  close(): void {
    this.events.file?.flush();
    this.readings.file?.flush();
  }

  stats(): OutboxStats {
    const oldest = [this.events, this.readings]
      .filter((q) => q.length > 0)
      .map((q) => q.at(0).item.at);
    return {
      events: this.events.length,
      readings: this.readings.length,
      bytes: this.events.bytes + this.readings.bytes,
      oldestAt: oldest.length ? Math.min(...oldest) : undefined,
      dropped: { ...this.dropped },
      inFlight: this.events.taken + this.readings.taken,
    };
  }

  /** Drops readings past the age limit. */
  private expire(): void {
    const q = this.readings;
    const cutoff = this.now() - this.limits.maxAgeMs;
    let n = 0;
    while (q.waiting > n && q.at(q.taken + n).item.at < cutoff) n++;
    if (n > 0) this.drop(q, n);
  }

  /** Size limit: the oldest waiting readings go first; events only when no reading is left. */
  private enforce(): void {
    this.expire();
    let over = this.events.bytes + this.readings.bytes - this.limits.maxBytes;
    if (over <= 0) return;
    for (const q of [this.readings, this.events]) {
      let n = 0;
      let freed = 0;
      while (freed < over && q.waiting > n) freed += q.at(q.taken + n++).bytes;
      if (n > 0) this.drop(q, n);
      over -= freed;
      if (over <= 0) return;
    }
  }

  private drop(q: Queue, n: number): void {
    if (q === this.events) this.dropped.events += n;
    else this.dropped.readings += n;
    if (q.taken === 0) {
      q.shift(n);
      q.file?.consumed(n, q.length === 0);
      return;
    }
    // Taken items sit in front of the dropped ones: the file is rewritten without them.
    for (let i = 0; i < n; i++) q.dropOldestWaiting();
    q.file?.rewrite(q.lines());
  }
}
