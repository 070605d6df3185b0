/**
 * Gets one node's events and readings to the broker. Live messages go straight out while the
 * link is up and nothing is waiting; otherwise they join the outbox, which is drained on
 * reconnect (events first, in order per sensor, each message acked by the broker before it
 * leaves the outbox). Whatever was captured while the broker was unreachable is marked late.
 */
import {
  encodeEvent,
  encodeReadings,
  topics,
  type ConstraintEvent,
  type Reading,
} from '@iotmon/domain';
import type { Outbox, OutboxItem, OutboxKind } from '../outbox/outbox';

/** The part of mqtt.js's client that delivery needs (a fake in unit tests). */
export interface PublishLink {
  readonly connected: boolean;
  publish(
    topic: string,
    payload: string,
    opts: { qos: 0 | 1; retain?: boolean },
    cb?: (err?: Error) => void,
  ): unknown;
}

export interface DeliveryCounters {
  /** Messages handed to the link, by kind (a batch counts once). */
  publishedEvents: number;
  publishedRaw: number;
  /** Readings and events sent from the outbox after a delay. */
  replayedEvents: number;
  replayedReadings: number;
}

export interface DeliveryOptions {
  rawQos: 0 | 1;
  /** Items taken from the outbox per round trip. */
  drainChunk?: number;
  /** Readings per message when replaying a backlog. */
  replayBatch?: number;
}

export class Delivery {
  readonly counters: DeliveryCounters = {
    publishedEvents: 0,
    publishedRaw: 0,
    replayedEvents: 0,
    replayedReadings: 0,
  };
  private draining = false;
  private readonly drainChunk: number;
  private readonly replayBatch: number;

  constructor(
    private readonly link: PublishLink,
    readonly outbox: Outbox,
    private readonly options: DeliveryOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.drainChunk = options.drainChunk ?? 500;
    this.replayBatch = options.replayBatch ?? 100;
  }

  /** Whether live messages may bypass the outbox right now. */
  private get direct(): boolean {
    return this.link.connected && !this.draining && this.outbox.empty;
  }

  sendEvent(event: ConstraintEvent): void {
    if (!this.direct) {
      this.outbox.push({ kind: 'event', event, late: !this.link.connected, at: this.now() });
      return;
    }
    this.counters.publishedEvents++;
    this.link.publish(
      topics.event(event.deviceId, event.sensor),
      encodeEvent(event),
      { qos: 1 },
      (err) => {
        // The client gave up on it (closing): keep it for the next connection.
        if (err) this.outbox.push({ kind: 'event', event, late: true, at: event.ts });
      },
    );
  }

  /** Readings of one device and sensor, oldest first. */
  sendReadings(readings: Reading[]): void {
    if (readings.length === 0) return;
    if (!this.direct) {
      const late = !this.link.connected;
      const at = this.now();
      for (const reading of readings) this.outbox.push({ kind: 'reading', reading, late, at });
      return;
    }
    const r = readings[0];
    this.counters.publishedRaw++;
    const qos = this.options.rawQos;
    this.link.publish(
      topics.raw(r.deviceId, r.sensor),
      encodeReadings(readings),
      { qos },
      (err) => {
        if (err && qos === 1) {
          for (const reading of readings)
            this.outbox.push({ kind: 'reading', reading, late: true, at: reading.ts });
        }
      },
    );
  }

  /** Replays the outbox while connected. Safe to call at any time; one drain runs at once. */
  async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.link.connected) {
        const items = this.outbox.take(this.drainChunk);
        if (items.length === 0) break;
        const kind: OutboxKind = items[0].kind;
        try {
          await Promise.all(this.publishAll(items));
          this.outbox.ack(kind, items.length);
          if (kind === 'event') this.counters.replayedEvents += items.length;
          else this.counters.replayedReadings += items.length;
        } catch {
          this.outbox.release(kind);
          break;
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private publishAll(items: OutboxItem[]): Promise<void>[] {
    const sends: Promise<void>[] = [];
    if (items[0].kind === 'event') {
      for (const item of items) {
        if (item.kind !== 'event') continue;
        const event = item.late ? { ...item.event, late: true } : item.event;
        this.counters.publishedEvents++;
        sends.push(this.send(topics.event(event.deviceId, event.sensor), encodeEvent(event)));
      }
      return sends;
    }
    // Consecutive runs per (device, sensor) become batches; order per sensor is kept because
    // one connection delivers in the order published.
    const groups = new Map<string, Reading[]>();
    for (const item of items) {
      if (item.kind !== 'reading') continue;
      const r = item.late ? { ...item.reading, late: true } : item.reading;
      const topic = topics.raw(r.deviceId, r.sensor);
      let group = groups.get(topic);
      if (!group) groups.set(topic, (group = []));
      group.push(r);
      if (group.length === this.replayBatch) {
        sends.push(this.send(topic, encodeReadings(group)));
        groups.set(topic, []);
      }
    }
    for (const [topic, group] of groups)
      if (group.length) sends.push(this.send(topic, encodeReadings(group)));
    this.counters.publishedRaw += sends.length;
    return sends;
  }

  private send(topic: string, payload: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.link.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())),
    );
  }
}
