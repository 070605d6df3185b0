/**
 * Acceptance 2 on the embedded broker: no anonymous connect; a device publishes only under its
 * own topics and subscribes only to its own config and ack; a rotated or revoked key closes the
 * device's session within 5 s; services keep working. Real Aedes, real PostgreSQL.
 */
import { hashDeviceKey, issueDeviceKey } from '@iotmon/persistence';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import {
  generateServicePasswords,
  startRegistryBroker,
  type RegistryBroker,
} from './registry-broker';

const services = generateServicePasswords();
const opts: IClientOptions = { reconnectPeriod: 0, connectTimeout: 5_000 };

describe('embedded broker: authentication and ACLs', () => {
  let db: TestDatabase;
  let pg: Client;
  let broker: RegistryBroker;
  let api: MqttClient;
  const keys: Record<string, string> = {};
  const clients: MqttClient[] = [];
  const received: [string, string][] = [];

  async function register(id: string): Promise<string> {
    const { key, hash } = issueDeviceKey();
    await pg.query('INSERT INTO devices (id, name, api_key_hash) VALUES ($1, $1, $2)', [id, hash]);
    return key;
  }
  async function connect(o: IClientOptions, url = broker.url): Promise<MqttClient> {
    const c = await connectAsync(url, { ...opts, ...o });
    clients.push(c);
    return c;
  }
  const device = (id: string, key = keys[id]) =>
    connect({ username: id, password: key, clientId: `${id}-${clients.length}` });
  const closed = (c: MqttClient) =>
    new Promise<number>((resolve) => {
      const t0 = Date.now();
      if (!c.connected) return resolve(0);
      c.once('close', () => resolve(Date.now() - t0));
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    keys['dev-a'] = await register('dev-a');
    keys['dev-b'] = await register('dev-b');
    broker = await startRegistryBroker({ databaseUrl: db.url, services, port: 0, wsPort: 0 });
    api = await connect({ ...broker.login('api'), clientId: 'api-1' });
    await api.subscribeAsync(['env/+/+/raw', 'env/+/status'], { qos: 1 });
    api.on('message', (t, p) => received.push([t, p.toString()]));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.close();
    await pg?.end();
    await db?.drop();
  });

  it('refuses anonymous clients, unknown devices and wrong passwords', async () => {
    await expect(connectAsync(broker.url, opts)).rejects.toThrow(/Not authorized/);
    await expect(connectAsync(`ws://127.0.0.1:${broker.wsPort}`, opts)).rejects.toThrow(
      /Not authorized/,
    );
    await expect(
      connectAsync(broker.url, { ...opts, username: 'dev-a', password: keys['dev-b'] }),
    ).rejects.toThrow(/Bad username or password/);
    await expect(
      connectAsync(broker.url, { ...opts, username: 'intruder-9', password: 'iotk_guess' }),
    ).rejects.toThrow(/Bad username or password/);
    await expect(
      connectAsync(broker.url, { ...opts, username: 'svc:alerting', password: services.api }),
    ).rejects.toThrow(/Bad username or password/);
  });

  it('carries a device reading to the api, over TCP and WebSocket', async () => {
    const a = await device('dev-a');
    const ws = await connect(
      { username: 'dev-b', password: keys['dev-b'] },
      `ws://127.0.0.1:${broker.wsPort}`,
    );
    await a.publishAsync('env/dev-a/temperature/raw', '{"value":21,"ts":1}', { qos: 1 });
    await ws.publishAsync('env/dev-b/humidity/raw', '{"value":40,"ts":1}', { qos: 1 });
    await waitFor(() => received.length >= 2, { what: 'both readings at the api' });
    expect(received).toEqual(
      expect.arrayContaining([
        ['env/dev-a/temperature/raw', '{"value":21,"ts":1}'],
        ['env/dev-b/humidity/raw', '{"value":40,"ts":1}'],
      ]),
    );
  });

  it('does not let device A publish as device B, nor publish any config', async () => {
    const watcher = await connect({ ...broker.login('alerting'), clientId: 'watch' });
    const seen: string[] = [];
    watcher.on('message', (t) => seen.push(t));
    await watcher.subscribeAsync(['env/dev-b/+/raw', 'env/+/config'], { qos: 1 });
    for (const topic of ['env/dev-b/temperature/raw', 'env/dev-a/config', 'env/dev-b/config']) {
      const a = await device('dev-a');
      const gone = closed(a);
      a.publish(topic, '{"value":99.9,"ts":2}', { qos: 1 });
      // Aedes answers an unauthorized PUBLISH by closing the connection (MQTT 3.1.1 has no NACK).
      await gone;
    }
    // A message the watcher may see, sent last: once it arrived, the ones before it would have.
    const b = await device('dev-b');
    await b.publishAsync('env/dev-b/temperature/raw', '{"value":20,"ts":3}', { qos: 1 });
    await waitFor(() => seen.length > 0, { what: "dev-b's own reading at the watcher" });
    expect(seen).toEqual(['env/dev-b/temperature/raw']);
  });

  it("does not let device A subscribe to B's config or ack, nor to a wildcard", async () => {
    const a = await device('dev-a');
    // mqtt.js rejects a SUBACK with return code 128 (failure).
    const outcome = (filter: string) =>
      a.subscribeAsync(filter, { qos: 1 }).then(
        (g) => `${filter} ${g[0].qos}`,
        () => `${filter} refused`,
      );
    const filters = ['env/dev-a/config', 'env/dev-a/ack', 'env/dev-b/config', 'env/dev-b/ack'];
    expect(await Promise.all([...filters, 'env/+/config', '#'].map(outcome))).toEqual([
      'env/dev-a/config 1',
      'env/dev-a/ack 1',
      'env/dev-b/config refused',
      'env/dev-b/ack refused',
      'env/+/config refused',
      '# refused',
    ]);
    expect(a.connected).toBe(true);
  });

  it('delivers the config alerting publishes to that device only', async () => {
    const alerting = await connect({ ...broker.login('alerting'), clientId: 'alerting-1' });
    const a = await device('dev-a');
    const got = new Promise<string>((r) => a.on('message', (t, p) => r(`${t} ${p.toString()}`)));
    await a.subscribeAsync('env/dev-a/config', { qos: 1 });
    await alerting.publishAsync('env/dev-a/config', '{"revision":1}', { qos: 1, retain: true });
    expect(await got).toBe('env/dev-a/config {"revision":1}');
  });

  it('refuses a client id that another identity holds', async () => {
    await device('dev-b', keys['dev-b']).then((b) => b.options.clientId);
    const holder = clients[clients.length - 1].options.clientId!;
    await expect(
      connectAsync(broker.url, {
        ...opts,
        username: 'dev-a',
        password: keys['dev-a'],
        clientId: holder,
      }),
    ).rejects.toThrow(/Identifier rejected/);
  });

  it('closes the session of a rotated key within 5 s and refuses the old key', async () => {
    const b = await device('dev-b');
    const gone = closed(b);
    const { key, hash } = issueDeviceKey();
    await pg.query('UPDATE devices SET api_key_hash = $2 WHERE id = $1', ['dev-b', hash]);
    expect(await gone).toBeLessThan(5_000);
    await expect(
      connectAsync(broker.url, { ...opts, username: 'dev-b', password: keys['dev-b'] }),
    ).rejects.toThrow(/Bad username or password/);
    keys['dev-b'] = key;
    const again = await device('dev-b');
    expect(again.connected).toBe(true);
    expect(hashDeviceKey(key)).toBe(hash);
  });

  it('closes the session of a deleted device within 5 s', async () => {
    const b = await device('dev-b');
    const gone = closed(b);
    await pg.query('DELETE FROM devices WHERE id = $1', ['dev-b']);
    expect(await gone).toBeLessThan(5_000);
    expect(api.connected).toBe(true);
  });
});
