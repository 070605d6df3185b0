/**
 * Acceptance 3 on the embedded broker: MQTT over TLS and secure WebSocket with a certificate
 * from a local CA; clients that do not trust the CA, or speak plain text to the TLS port, are
 * refused; with TLS required there is no plain listener at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@iotmon/testing';
import { connect, connectAsync, type IClientOptions } from 'mqtt';
import { createLocalCa } from './local-ca';
import { mqttClientOptions, mqttSettingsFromEnv } from './mqtt-options';
import {
  generateServicePasswords,
  startRegistryBroker,
  type RegistryBroker,
} from './registry-broker';

const services = generateServicePasswords();
const base: IClientOptions = { reconnectPeriod: 0, connectTimeout: 3_000 };

describe('embedded broker over TLS', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  const ca = createLocalCa(['localhost', '127.0.0.1']);

  beforeAll(async () => {
    db = await createTestDatabase();
    broker = await startRegistryBroker({
      databaseUrl: db.url,
      services,
      port: null,
      tls: { cert: ca.cert, key: ca.key, port: 0, wssPort: 0 },
    });
  });
  afterAll(async () => {
    await broker?.close();
    await db?.drop();
  });

  it('accepts a client that trusts the local CA, over mqtts:// and wss://', async () => {
    expect(broker.port).toBeUndefined();
    expect(broker.url).toBe(`mqtts://127.0.0.1:${broker.tlsPort}`);
    for (const url of [broker.url, `wss://127.0.0.1:${broker.wssPort}`]) {
      const c = await connectAsync(url, { ...base, ...broker.login('api'), ca: ca.caCert });
      expect(c.connected).toBe(true);
      await c.publishAsync('server/readings/stored', '[]', { qos: 1 });
      await c.endAsync();
    }
  });

  it('takes the CA from MQTT_CA_FILE through the shared client settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotmon-ca-'));
    const file = join(dir, 'ca.pem');
    writeFileSync(file, ca.caCert);
    const settings = mqttSettingsFromEnv({
      MQTT_URL: broker.url,
      MQTT_CA_FILE: file,
      MQTT_USERNAME: 'svc:alerting',
      MQTT_PASSWORD: services.alerting,
    });
    const c = await connectAsync(settings.url, {
      ...mqttClientOptions(settings, 'tls-settings'),
      ...base,
    });
    expect(c.connected).toBe(true);
    await c.endAsync();
    expect(() => mqttSettingsFromEnv({ MQTT_URL: 'mqtt://x:1', MQTT_CA_FILE: file })).toThrow(
      /MQTT_URL must be mqtts/,
    );
    expect(() => mqttSettingsFromEnv({ MQTT_URL: broker.url, MQTT_CA_FILE: '/nope.pem' })).toThrow(
      /MQTT_CA_FILE cannot be read/,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a client that does not trust the certificate', async () => {
    await expect(connectAsync(broker.url, { ...base, ...broker.login('api') })).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
  });

  it('refuses a plain-text MQTT client on the TLS port', async () => {
    // mqtt.js: the connection closes without a CONNACK.
    const plain = connect(`mqtt://127.0.0.1:${broker.tlsPort}`, {
      ...base,
      ...broker.login('api'),
    });
    const outcome = await new Promise<string>((resolve) => {
      plain.once('connect', () => resolve('connected'));
      plain.once('close', () => resolve('closed'));
    });
    plain.end(true);
    expect(outcome).toBe('closed');
    // Raw: a plain CONNECT packet gets no CONNACK, only a closed socket.
    const answer = await new Promise<string>((resolve) => {
      const s = createConnection(broker.tlsPort!, '127.0.0.1', () =>
        s.write(Buffer.from('101000044d5154540402003c0004746573740000', 'hex')),
      );
      let got = '';
      s.on('data', (d) => (got += d.toString('hex')));
      s.on('close', () => resolve(got));
      s.on('error', () => undefined);
    });
    expect(answer.startsWith('20')).toBe(false); // 0x20 would be a CONNACK
  });
});
