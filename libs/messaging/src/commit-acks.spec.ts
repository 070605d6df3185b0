import { decodeAck } from '@iotmon/domain';
import { CommitAckPublisher } from './commit-acks';

class Recorder {
  disconnecting = false;
  sent: { topic: string; payload: string; qos: number }[] = [];
  publish(topic: string, payload: string, opts: { qos: number }) {
    this.sent.push({ topic, payload, qos: opts.qos });
  }
}

describe('commit ack publisher', () => {
  it('sends one ack per device with the committed ranges per stream', () => {
    const link = new Recorder();
    const acks = new CommitAckPublisher(link, 60_000);
    acks.readings([
      { deviceId: 'a', sensor: 'temperature', seq: 3 },
      { deviceId: 'a', sensor: 'temperature', seq: 1 },
      { deviceId: 'a', sensor: 'temperature', seq: 2 },
      { deviceId: 'a', sensor: 'humidity', seq: 7 },
      { deviceId: 'b', sensor: 'temperature' },
    ]);
    acks.events([
      { deviceId: 'a', seq: 4 },
      { deviceId: 'c', seq: 1 },
    ]);
    acks.sequences('a', 'temperature', [9, undefined]);
    acks.flush();
    expect(link.sent.map((s) => [s.topic, s.qos, decodeAck(s.payload)])).toEqual([
      [
        'env/a/ack',
        1,
        {
          raw: {
            temperature: [
              [1, 3],
              [9, 9],
            ],
            humidity: [[7, 7]],
          },
          event: [[4, 4]],
        },
      ],
      ['env/c/ack', 1, { event: [[1, 1]] }],
    ]);
    acks.flush();
    expect(link.sent).toHaveLength(2);
  });
});
