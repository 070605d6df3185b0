/**
 * Publishes end-to-end commit acks (`env/{deviceId}/ack`, CommitAck): services note what
 * they committed in PostgreSQL and this sends, per device, the committed sequence ranges
 * every `intervalMs` (one message per device per interval, however many batches committed).
 * An ack lost on the way only makes the edge send again, which the stores dedupe; so the
 * ack is QoS 1 but not retained (ranges, not a state to keep).
 */
import {
  encodeAck,
  SeqRangeSet,
  topics,
  type CommitAck,
  type ConstraintEvent,
  type Reading,
} from '@iotmon/domain';

/** The part of an mqtt.js client the publisher uses. */
export interface AckLink {
  readonly disconnecting: boolean;
  publish(topic: string, payload: string, opts: { qos: 1 }): unknown;
}

interface DeviceAcks {
  raw: Map<string, SeqRangeSet>;
  event: SeqRangeSet | undefined;
}

export class CommitAckPublisher {
  private pending = new Map<string, DeviceAcks>();
  private timer: NodeJS.Timeout | undefined;
  /** Ack messages published since start. */
  published = 0;

  constructor(
    private readonly client: AckLink,
    private readonly intervalMs = 200,
  ) {}

  private device(deviceId: string): DeviceAcks {
    let d = this.pending.get(deviceId);
    if (!d) this.pending.set(deviceId, (d = { raw: new Map(), event: undefined }));
    return d;
  }

  /** Readings now committed (those without a seq came without one and need no ack). */
  readings(readings: readonly { deviceId: string; sensor: string; seq?: number }[]): void {
    let last: Reading['deviceId'] | undefined;
    let lastSensor: string | undefined;
    let set: SeqRangeSet | undefined;
    for (const r of readings) {
      if (r.seq === undefined) continue;
      if (r.deviceId !== last || r.sensor !== lastSensor) {
        set = this.raw(r.deviceId, r.sensor);
        last = r.deviceId;
        lastSensor = r.sensor;
      }
      set!.add(r.seq);
    }
    this.schedule();
  }

  /** Sequence numbers of one device's sensor now committed (one MQTT message's readings). */
  sequences(deviceId: string, sensor: string, seqs: readonly (number | undefined)[]): void {
    const set = this.raw(deviceId, sensor);
    for (const seq of seqs) if (seq !== undefined) set.add(seq);
    this.schedule();
  }

  private raw(deviceId: string, sensor: string): SeqRangeSet {
    const { raw } = this.device(deviceId);
    let set = raw.get(sensor);
    if (!set) raw.set(sensor, (set = new SeqRangeSet()));
    return set;
  }

  /** Events now committed. */
  events(events: readonly Pick<ConstraintEvent, 'deviceId' | 'seq'>[]): void {
    for (const e of events) {
      if (e.seq === undefined) continue;
      const d = this.device(e.deviceId);
      (d.event ??= new SeqRangeSet()).add(e.seq);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Publishes what is pending now (also on shutdown). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = new Map();
    // A client being closed (shutdown) takes no more messages; the edges send again.
    if (this.client.disconnecting) return;
    for (const [deviceId, d] of pending) {
      const ack: CommitAck = {};
      if (d.raw.size > 0) {
        ack.raw = {};
        for (const [sensor, set] of d.raw)
          (ack.raw as Record<string, unknown>)[sensor] = set.take();
      }
      if (d.event) ack.event = d.event.take();
      // A client that was ended has no store to queue in; the edge sends again anyway.
      if (this.client.disconnecting) return;
      this.published++;
      // While the broker is away mqtt.js queues it; lost anyway, the edge sends again. A client
      // already ended (a timer firing after shutdown) throws from its closed store: nothing to send.
      try {
        this.client.publish(topics.ack(deviceId), encodeAck(ack), { qos: 1 });
      } catch {
        return;
      }
    }
  }
}
