import { decodeEvent, decodeReadings, type ConstraintEvent, type Reading } from '@iotmon/domain';
import { Outbox } from '../outbox/outbox';
import { Delivery, type PublishLink } from './delivery';

class FakeLink implements PublishLink {
  connected = true;
  sent: { topic: string; payload: string; qos: number }[] = [];
  publish(topic: string, payload: string, opts: { qos: 0 | 1 }) {
    this.sent.push({ topic, payload, qos: opts.qos });
  }
  seqsOn(topic: string, sensor: Reading['sensor']): number[] {
    return this.sent
      .filter((s) => s.topic === topic)
      .flatMap((s) => decodeReadings(s.payload, { deviceId: 'n1', sensor }).readings)
      .map((r) => r.seq as number);
  }
}

const reading = (seq: number, sensor: Reading['sensor'] = 'temperature'): Reading => ({
  deviceId: 'n1',
  sensor,
  value: 20 + seq,
  ts: 1_700_000_000_000 + seq,
  seq,
});
const event = (seq: number): ConstraintEvent => ({
  deviceId: 'n1',
  sensor: 'temperature',
  ruleId: 'temperature_alert',
  state: 'raised',
  severity: 'warning',
  value: 31,
  ts: 1_700_000_000_000 + seq,
  message: 'hot',
  seq,
});
/** The in-memory outbox reports durability on the next timer turn. */
const turn = () => new Promise((r) => setTimeout(r, 1));

describe('delivery', () => {
  const limits = { maxBytes: 1_000_000, maxAgeMs: 3_600_000 };
  const setup = (opts: Partial<ConstructorParameters<typeof Delivery>[2]> = {}) => {
    const link = new FakeLink();
    let now = 1_000;
    const d: Delivery = new Delivery(
      link,
      new Outbox(limits, undefined, () => now, { onDurable: () => d.pump() }),
      { rawQos: 0, ...opts },
      () => now,
    );
    return { link, d, advance: (ms: number) => (now += ms) };
  };

  it('publishes readings with the raw QoS and events with QoS 1, and keeps them until committed', async () => {
    const { link, d } = setup();
    d.sendReadings([reading(1)]);
    d.sendEvent(event(1));
    await turn();
    expect(link.sent.map((s) => [s.topic, s.qos])).toEqual([
      ['env/n1/event/temperature', 1],
      ['env/n1/temperature/raw', 0],
    ]);
    expect(d.outbox.stats()).toMatchObject({ events: 1, readings: 1, inFlight: 2 });
    d.onAck({ raw: { temperature: [[1, 1]] }, event: [[1, 1]] });
    expect(d.outbox.empty).toBe(true);
  });

  it('queues while disconnected and sends events first, in order per sensor, marked late', async () => {
    const { link, d } = setup({ batch: 1, replayBatch: 2 });
    link.connected = false;
    for (let i = 1; i <= 5; i++) d.sendReadings([reading(i), reading(i, 'humidity')]);
    d.sendEvent(event(1));
    d.sendEvent(event(2));
    await turn();
    expect(link.sent).toHaveLength(0);
    link.connected = true;
    d.onConnect();
    d.sendReadings([reading(6)]);
    await turn();
    expect(link.sent.slice(0, 2).map((s) => decodeEvent(s.payload))).toEqual([
      { event: { ...event(1), late: true } },
      { event: { ...event(2), late: true } },
    ]);
    expect(link.seqsOn('env/n1/temperature/raw', 'temperature')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(link.seqsOn('env/n1/humidity/raw', 'humidity')).toEqual([1, 2, 3, 4, 5]);
    const late = link.sent
      .filter((s) => s.topic === 'env/n1/temperature/raw')
      .flatMap((s) => decodeReadings(s.payload, { deviceId: 'n1', sensor: 'temperature' }).readings)
      .map((r) => r.late === true);
    expect(late).toEqual([true, true, true, true, true, false]);
  });

  it('sends again what no commit ack named within the timeout, only that', async () => {
    const { link, d, advance } = setup({ ackTimeoutMs: 5_000 });
    for (let i = 1; i <= 4; i++) d.sendReadings([reading(i)]);
    await turn();
    d.onAck({ raw: { temperature: [[1, 2]] } });
    link.sent = [];
    advance(4_000);
    d.tick();
    expect(link.sent).toHaveLength(0);
    advance(1_001);
    d.tick();
    expect(link.seqsOn('env/n1/temperature/raw', 'temperature')).toEqual([3, 4]);
    expect(d.counters.resent).toBe(2);
  });

  it('sends everything in flight again after a reconnect', async () => {
    const { link, d } = setup();
    d.sendEvent(event(1));
    d.sendReadings([reading(1)]);
    await turn();
    link.connected = false;
    link.sent = [];
    link.connected = true;
    d.onConnect();
    expect(link.sent).toHaveLength(2);
    d.onAck({ raw: { temperature: [[1, 1]] }, event: [[1, 1]] });
    expect(d.outbox.empty).toBe(true);
  });

  it('stops sending when the window of unacked items is full and goes on with each ack', async () => {
    const { link, d } = setup({ window: 3 });
    for (let i = 1; i <= 5; i++) d.sendReadings([reading(i)]);
    await turn();
    expect(link.seqsOn('env/n1/temperature/raw', 'temperature')).toEqual([1, 2, 3]);
    d.onAck({ raw: { temperature: [[1, 2]] } });
    expect(link.seqsOn('env/n1/temperature/raw', 'temperature')).toEqual([1, 2, 3, 4, 5]);
  });
});
