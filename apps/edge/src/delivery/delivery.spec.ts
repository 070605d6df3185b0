import { decodeEvent, decodeReadings, type ConstraintEvent, type Reading } from '@iotmon/domain';
import { Outbox } from '../outbox/outbox';
import { Delivery, type PublishLink } from './delivery';

/** A link whose acks the test hands out by hand. */
class FakeLink implements PublishLink {
  connected = true;
  sent: { topic: string; payload: string; qos: number; ack?: (err?: Error) => void }[] = [];
  publish(topic: string, payload: string, opts: { qos: 0 | 1 }, cb?: (err?: Error) => void) {
    this.sent.push({ topic, payload, qos: opts.qos, ack: cb });
  }
  ackAll() {
    const pending = this.sent.filter((s) => s.ack);
    for (const s of pending) {
      const ack = s.ack!;
      s.ack = undefined;
      ack();
    }
  }
}

const reading = (seq: number, sensor: Reading['sensor'] = 'temperature'): Reading => ({
  deviceId: 'n1',
  sensor,
  value: 20 + seq,
  ts: 1_700_000_000_000 + seq,
  seq,
});
const event = (ts: number): ConstraintEvent => ({
  deviceId: 'n1',
  sensor: 'temperature',
  ruleId: 'temperature_alert',
  state: 'raised',
  severity: 'warning',
  value: 31,
  ts: 1_700_000_000_000 + ts,
  message: 'hot',
});
const flush = () => new Promise((r) => setImmediate(r));

describe('delivery', () => {
  const limits = { maxBytes: 1_000_000, maxAgeMs: 3_600_000 };

  it('publishes live readings with the raw QoS and events with QoS 1 while connected', () => {
    const link = new FakeLink();
    const d = new Delivery(link, new Outbox(limits), { rawQos: 0 });
    d.sendReadings([reading(1)]);
    d.sendEvent(event(1));
    expect(link.sent.map((s) => [s.topic, s.qos])).toEqual([
      ['env/n1/temperature/raw', 0],
      ['env/n1/event/temperature', 1],
    ]);
    expect(d.outbox.empty).toBe(true);
  });

  it('queues while disconnected and replays events first, in order per sensor, marked late, each once', async () => {
    const link = new FakeLink();
    const d = new Delivery(link, new Outbox(limits), { rawQos: 1, drainChunk: 3, replayBatch: 2 });
    link.connected = false;
    for (let i = 1; i <= 5; i++) d.sendReadings([reading(i), reading(i, 'humidity')]);
    d.sendEvent(event(1));
    d.sendEvent(event(2));
    expect(link.sent).toHaveLength(0);
    link.connected = true;
    const drained = d.drain();
    // Live data while the backlog drains waits behind it, not marked late.
    d.sendReadings([reading(6)]);
    for (let round = 0; round < 10 && !d.outbox.empty; round++) {
      await flush();
      link.ackAll();
    }
    await drained;
    expect(d.outbox.empty).toBe(true);
    const events = link.sent.filter((s) => s.topic.includes('/event/'));
    expect(link.sent.indexOf(events[1])).toBe(1);
    expect(events.map((s) => decodeEvent(s.payload))).toEqual([
      { event: { ...event(1), late: true } },
      { event: { ...event(2), late: true } },
    ]);
    const temps = link.sent
      .filter((s) => s.topic === 'env/n1/temperature/raw')
      .flatMap(
        (s) => decodeReadings(s.payload, { deviceId: 'n1', sensor: 'temperature' }).readings,
      );
    expect(temps.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(temps.map((r) => r.late === true)).toEqual([true, true, true, true, true, false]);
    const hums = link.sent
      .filter((s) => s.topic === 'env/n1/humidity/raw')
      .flatMap((s) => decodeReadings(s.payload, { deviceId: 'n1', sensor: 'humidity' }).readings);
    expect(hums.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps unacked items when the link drops mid-drain and sends them again later', async () => {
    const link = new FakeLink();
    const d = new Delivery(link, new Outbox(limits), { rawQos: 1 });
    link.connected = false;
    d.sendEvent(event(1));
    link.connected = true;
    const drained = d.drain();
    await flush();
    const first = link.sent[0];
    link.connected = false;
    first.ack!(new Error('connection closed'));
    await drained;
    expect(d.outbox.stats().events).toBe(1);
    link.connected = true;
    const again = d.drain();
    await flush();
    link.ackAll();
    await again;
    expect(d.outbox.empty).toBe(true);
    expect(link.sent).toHaveLength(2);
  });
});
