import { connectAsync } from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker';

describe('embedded broker', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0, wsPort: 0 });
  });
  afterAll(() => broker.close());

  it('carries a message from a WebSocket publisher to a TCP subscriber', async () => {
    const sub = await connectAsync(broker.url);
    const pub = await connectAsync(`ws://127.0.0.1:${broker.wsPort}`);
    await sub.subscribeAsync('env/+/temperature/raw', { qos: 1 });
    const got = new Promise<[string, string]>((resolve) =>
      sub.on('message', (topic, payload) => resolve([topic, payload.toString()])),
    );
    await pub.publishAsync('env/edge-1/temperature/raw', '{"value":21,"ts":1}', { qos: 1 });
    expect(await got).toEqual(['env/edge-1/temperature/raw', '{"value":21,"ts":1}']);
    await Promise.all([sub.endAsync(), pub.endAsync()]);
  });

  it('keeps retained messages for late subscribers', async () => {
    const pub = await connectAsync(broker.url);
    await pub.publishAsync('env/edge-9/status', 'online', { qos: 1, retain: true });
    const sub = await connectAsync(broker.url);
    const got = new Promise<string>((resolve) =>
      sub.on('message', (_t, p) => resolve(p.toString())),
    );
    await sub.subscribeAsync('env/edge-9/status');
    expect(await got).toBe('online');
    await Promise.all([sub.endAsync(), pub.endAsync()]);
  });
});
