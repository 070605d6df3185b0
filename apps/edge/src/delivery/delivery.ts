/**
 * Gets one node's events and readings to the server and keeps them until the server says
 * they are committed. Everything goes through the outbox: pushed, made durable in groups,
 * sent (events first, readings batched per sensor, in order) within a window of items
 * awaiting their commit ack, and trimmed on the ack. What stays unacknowledged after
 * `ackTimeoutMs`, or was in flight when the link dropped, is sent again. Whatever was
 * captured while the broker was unreachable is marked late.
 */
import {
  encodeEvent,
  encodeReadings,
  topics,
  type CommitAck,
  type ConstraintEvent,
  type Reading,
  type SensorKind,
} from '@iotmon/domain';
import type { Outbox, OutboxItem } from '../outbox/outbox';

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
  /** Readings and events sent marked late (captured while the broker was unreachable). */
  replayedEvents: number;
  replayedReadings: number;
  /** Items sent again because no commit ack came in time or the link dropped. */
  resent: number;
}

export interface DeliveryOptions {
  rawQos: 0 | 1;
  /** Readings per raw message at most (RAW_BATCH). */
  batch?: number;
  /** Readings per raw message at most when sending a backlog marked late. */
  replayBatch?: number;
  /** Items sent and awaiting their commit ack, at most. */
  window?: number;
  /** Sent items without a commit ack after this long are sent again. */
  ackTimeoutMs?: number;
}

export class Delivery {
  readonly counters: DeliveryCounters = {
    publishedEvents: 0,
    publishedRaw: 0,
    replayedEvents: 0,
    replayedReadings: 0,
    resent: 0,
  };
  private readonly batch: number;
  private readonly replayBatch: number;
  private readonly window: number;
  private readonly ackTimeoutMs: number;

  constructor(
    private readonly link: PublishLink,
    readonly outbox: Outbox,
    private readonly options: DeliveryOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.batch = options.batch ?? 1;
    this.replayBatch = Math.max(this.batch, options.replayBatch ?? 100);
    this.window = options.window ?? 20_000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  }

  sendEvent(event: ConstraintEvent): void {
    this.outbox.push({ kind: 'event', event, late: !this.link.connected, at: this.now() });
  }

  /** Readings of one device and sensor, oldest first. */
  sendReadings(readings: Reading[]): void {
    const late = !this.link.connected;
    const at = this.now();
    for (const reading of readings) this.outbox.push({ kind: 'reading', reading, late, at });
  }

  /** Sends what is durable and waiting, within the window. Safe to call at any time. */
  pump(): void {
    while (this.link.connected) {
      const room = this.window - this.outbox.inFlight;
      if (room <= 0) return;
      const items = this.outbox.take(Math.min(room, 5_000));
      if (items.length === 0) return;
      this.publishAll(items);
    }
  }

  /** After a (re)connect: what was in flight may be lost with the old connection. */
  onConnect(): void {
    this.counters.resent += this.outbox.requeue();
    this.pump();
  }

  /** The server's commit ack for this node: trims the outbox, opens the window. */
  onAck(ack: CommitAck): void {
    if (ack.event) this.outbox.acked('event', ack.event);
    for (const [sensor, ranges] of Object.entries(ack.raw ?? {}))
      if (ranges) this.outbox.acked(sensor as SensorKind, ranges);
    this.pump();
  }

  /** Periodic: re-sends what stayed unacknowledged past the timeout. */
  tick(): void {
    const n = this.outbox.requeue(this.ackTimeoutMs);
    if (n > 0) this.counters.resent += n;
    this.pump();
  }

  private publishAll(items: OutboxItem[]): void {
    // Consecutive runs per (device, sensor) become batches; order per sensor is kept because
    // one connection delivers in the order published.
    const groups = new Map<string, Reading[]>();
    for (const item of items) {
      if (item.kind === 'event') {
        const event = item.late ? { ...item.event, late: true } : item.event;
        if (item.late) this.counters.replayedEvents++;
        this.counters.publishedEvents++;
        this.link.publish(topics.event(event.deviceId, event.sensor), encodeEvent(event), {
          qos: 1,
        });
        continue;
      }
      const r = item.late ? { ...item.reading, late: true } : item.reading;
      if (item.late) this.counters.replayedReadings++;
      // Late and live readings never share a message (late ones go in bigger batches).
      const topic = topics.raw(r.deviceId, r.sensor);
      const key = item.late ? `${topic} late` : topic;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(r);
      if (group.length === (item.late ? this.replayBatch : this.batch)) {
        this.sendRaw(topic, group);
        groups.set(key, []);
      }
    }
    for (const [key, group] of groups) if (group.length) this.sendRaw(key.split(' ')[0], group);
  }

  private sendRaw(topic: string, group: Reading[]): void {
    this.counters.publishedRaw++;
    // No callback: a message the broker never took is sent again after the ack timeout.
    this.link.publish(topic, encodeReadings(group), { qos: this.options.rawQos });
  }
}
