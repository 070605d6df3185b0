/**
 * The production topology on one machine: Debian's Mosquitto, two api replicas sharing the
 * raw stream through an MQTT v5 shared subscription, real edge processes, real PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalCa, generateServicePasswords, serviceUsername } from '@iotmon/messaging';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@iotmon/testing';
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import {
  compileApps,
  mosquittoAvailable,
  start,
  startMosquittoDynsec,
  type Proc,
} from './processes';

const ADMIN = 'e2e-admin-key-0123456789';
// CI installs Mosquitto; on a developer machine without it the suite says so and skips.
const suite = mosquittoAvailable() || process.env['CI'] ? describe : describe.skip;
if (!mosquittoAvailable() && !process.env['CI'])
  console.warn('mosquitto not on PATH: e2e suite skipped (apt-get install mosquitto)');

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers: { 'x-api-key': ADMIN } });
  return { status: res.status, text: await res.text() };
}

function counter(metrics: string, line: string): number {
  const m = metrics.match(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\d+)`, 'm'));
  return m ? Number(m[1]) : 0;
}

suite('e2e on Mosquitto: edge -> shared subscription -> two api replicas -> PostgreSQL', () => {
  let apps: ReturnType<typeof compileApps>;
  let mosquitto: ReturnType<typeof startMosquittoDynsec>;
  let db: TestDatabase;
  let apiPorts: number[];
  let alertingPort = 0;
  let mqttUrl: string;
  let outboxDir: string;
  const procs: Proc[] = [];

  const services = generateServicePasswords();
  const ca = createLocalCa(['localhost', '127.0.0.1']);
  let tlsPort = 0;

  /** Registers a device with the api (which provisions it on Mosquitto); returns its key. */
  const register = async (id: string): Promise<string> => {
    const res = await fetch(`http://127.0.0.1:${apiPorts[0]}/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
      body: JSON.stringify({ id, name: id }),
    });
    if (res.status !== 201) throw new Error(`registering ${id}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { apiKey: string }).apiKey;
  };

  const edge = async (nodeId: string) =>
    start(`edge-${nodeId}`, process.execPath, [apps.app('edge')], {
      MQTT_URL: mqttUrl,
      MQTT_USERNAME: nodeId,
      MQTT_PASSWORD: await register(nodeId),
      NODE_ID: nodeId,
      SENSORS: 'temperature:40,humidity:40,light:40,air_quality:40',
      EDGE_HTTP_PORT: '0',
      OUTBOX_DIR: join(outboxDir, nodeId),
    });

  beforeAll(async () => {
    apps = compileApps();
    outboxDir = mkdtempSync(join(tmpdir(), 'iotmon-e2e-outbox-'));
    const mqttPort = await freePort();
    mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    tlsPort = await freePort();
    mosquitto = startMosquittoDynsec({
      port: mqttPort,
      tls: { port: tlsPort, cert: ca.cert, key: ca.key },
      services,
    });
    db = await createTestDatabase();
    apiPorts = [await freePort(), await freePort()];
    for (const [i, port] of apiPorts.entries()) {
      procs.push(
        start(`api-${i}`, process.execPath, [apps.app('api')], {
          DATABASE_URL: db.url,
          MQTT_URL: mqttUrl,
          MQTT_USERNAME: serviceUsername('api'),
          MQTT_PASSWORD: services.api,
          MQTT_PROVISIONING: 'dynsec',
          MQTT_SHARED_GROUP: 'ingest',
          PORT: String(port),
          HOST: '127.0.0.1',
          ADMIN_API_KEY: ADMIN,
        }),
      );
    }
    alertingPort = await freePort();
    procs.push(
      start('alerting', process.execPath, [apps.app('alerting')], {
        DATABASE_URL: db.url,
        MQTT_URL: mqttUrl,
        MQTT_USERNAME: serviceUsername('alerting'),
        MQTT_PASSWORD: services.alerting,
        MQTT_SHARED_GROUP: 'alerting',
        PORT: String(alertingPort),
        HOST: '127.0.0.1',
        ADMIN_API_KEY: ADMIN,
      }),
    );
    for (const port of [...apiPorts, alertingPort]) {
      await waitFor(
        async () => (await get(`http://127.0.0.1:${port}/health/ready`)).status === 200,
        {
          timeoutMs: 60_000,
          what: `app on ${port} ready (output: ${procs.map((p) => p.output()).join('\n')})`,
        },
      );
    }
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await mosquitto?.stop();
    mosquitto?.cleanup();
    await db?.drop();
    apps?.cleanup();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  it('splits the raw stream between the replicas: every message stored once, none consumed twice', async () => {
    const node = await edge('e2e-1');
    procs.push(node);
    const url = `http://127.0.0.1:${apiPorts[0]}/readings?deviceId=e2e-1&limit=1000`;
    await waitFor(async () => (JSON.parse((await get(url)).text) as unknown[]).length >= 200, {
      timeoutMs: 60_000,
      what: `200 readings of e2e-1 (edge output: ${node.output()})`,
    });
    await node.stop('SIGTERM');

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      // Settled once both replicas together have committed exactly as many readings from MQTT as
      // rows exist (counted in readings, not messages: the edge's outbox replays several readings
      // in one message after a reconnect); a reading consumed twice would count twice.
      const settled = await waitFor(
        async () => {
          const { rows } = await pg.query<{ n: string }>(
            "SELECT count(*) AS n FROM readings WHERE device_id = 'e2e-1'",
          );
          const stored = Number(rows[0].n);
          const consumed = await Promise.all(
            apiPorts.map(async (p) =>
              counter(
                (await get(`http://127.0.0.1:${p}/metrics`)).text,
                'readings_ingested_total{source="mqtt"}',
              ),
            ),
          );
          return consumed[0] + consumed[1] === stored ? { stored, consumed } : undefined;
        },
        { timeoutMs: 20_000, what: 'readings committed from MQTT equal to stored readings' },
      );
      expect(settled.consumed[0]).toBeGreaterThan(0);
      expect(settled.consumed[1]).toBeGreaterThan(0);
      const dupes = await pg.query(
        "SELECT sensor, seq FROM readings WHERE device_id = 'e2e-1' GROUP BY sensor, seq HAVING count(*) > 1",
      );
      expect(dupes.rows).toEqual([]);
    } finally {
      await pg.end();
    }
  });

  it('marks a node offline through its last will when the process is killed', async () => {
    const node = await edge('e2e-2');
    procs.push(node);
    const device = `http://127.0.0.1:${apiPorts[1]}/devices/e2e-2`;
    await waitFor(
      async () => (JSON.parse((await get(device)).text) as { status?: string }).status === 'online',
      {
        timeoutMs: 30_000,
        what: 'e2e-2 online',
      },
    );
    await node.stop('SIGKILL');
    await waitFor(
      async () =>
        (JSON.parse((await get(device)).text) as { status?: string }).status === 'offline',
      {
        timeoutMs: 30_000,
        what: 'e2e-2 offline after SIGKILL',
      },
    );
  });

  it('evaluates readings posted over REST with the server rule set: above 30 °C raises temperature_alert', async () => {
    const ts = Date.now();
    const post = await fetch(`http://127.0.0.1:${apiPorts[0]}/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
      body: JSON.stringify([
        { deviceId: 'rest-only-1', sensor: 'temperature', value: 22, ts: ts - 2_000 },
        { deviceId: 'rest-only-1', sensor: 'temperature', value: 35.5, ts: ts - 1_000 },
      ]),
    });
    expect(post.status).toBe(201);
    const alarms = await waitFor(
      async () => {
        const list = JSON.parse(
          (await get(`http://127.0.0.1:${alertingPort}/alerts?deviceId=rest-only-1`)).text,
        ) as {
          items?: { ruleId: string; state: string; peakValue: number }[];
        };
        const items = Array.isArray(list) ? list : (list.items ?? []);
        return items.length > 0 ? items : undefined;
      },
      {
        timeoutMs: 20_000,
        what: `an alarm for rest-only-1 (alerting output: ${procs.find((p) => p.name === 'alerting')?.output()})`,
      },
    );
    expect(alarms).toEqual([
      expect.objectContaining({ ruleId: 'temperature_alert', state: 'active', peakValue: 35.5 }),
    ]);
  });

  describe('access on Mosquitto (dynamic security provisioned by the api)', () => {
    const opts: IClientOptions = { reconnectPeriod: 0, connectTimeout: 5_000 };
    const keys: Record<string, string> = {};
    const clients: MqttClient[] = [];
    const login = async (id: string, o: IClientOptions = {}, url = mqttUrl) => {
      const c = await connectAsync(url, { ...opts, username: id, password: keys[id], ...o });
      clients.push(c);
      return c;
    };
    beforeAll(async () => {
      keys['acl-a'] = await register('acl-a');
      keys['acl-b'] = await register('acl-b');
    });
    afterAll(() => Promise.all(clients.map((c) => c.endAsync(true))));

    it('refuses anonymous clients and wrong keys', async () => {
      await expect(connectAsync(mqttUrl, opts)).rejects.toThrow(/Not authorized|Bad user/i);
      await expect(
        connectAsync(mqttUrl, { ...opts, username: 'acl-a', password: keys['acl-b'] }),
      ).rejects.toThrow(/Not authorized|Bad user/i);
    });

    it('keeps device A to its own topics: no publishing as B, no config, no subscribing to B', async () => {
      const watcher = await connectAsync(mqttUrl, {
        ...opts,
        username: serviceUsername('alerting'),
        password: services.alerting,
      });
      clients.push(watcher);
      const seen: string[] = [];
      watcher.on('message', (t) => seen.push(t));
      await watcher.subscribeAsync(['env/acl-b/+/raw', 'env/+/config', 'env/acl-a/+/raw'], {
        qos: 1,
      });
      const a = await login('acl-a');
      // Mosquitto drops an unauthorized PUBLISH (MQTT 3.1.1 has no negative PUBACK).
      await a.publishAsync('env/acl-b/temperature/raw', '{"value":99.9,"ts":1}', { qos: 1 });
      await a.publishAsync('env/acl-a/config', '{}', { qos: 1 });
      await a.publishAsync('env/acl-b/config', '{}', { qos: 1 });
      await a.publishAsync('env/acl-a/temperature/raw', '{"value":21,"ts":1}', { qos: 1 });
      await waitFor(() => seen.length > 0, { what: "A's own reading at the watcher" });
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual(['env/acl-a/temperature/raw']);

      const outcome = (filter: string) =>
        a.subscribeAsync(filter, { qos: 1 }).then(
          (g) => `${filter} ${g[0].qos}`,
          () => `${filter} refused`,
        );
      expect(
        await Promise.all(
          ['env/acl-a/config', 'env/acl-a/ack', 'env/acl-b/config', 'env/+/config'].map(outcome),
        ),
      ).toEqual([
        'env/acl-a/config 1',
        'env/acl-a/ack 1',
        'env/acl-b/config refused',
        'env/+/config refused',
      ]);
    });

    it('closes the session of a rotated key within 5 s; the old key is refused, the new one works', async () => {
      const b = await login('acl-b');
      const closedAfter = new Promise<number>((resolve) => {
        const t0 = Date.now();
        b.once('close', () => resolve(Date.now() - t0));
      });
      const res = await fetch(`http://127.0.0.1:${apiPorts[1]}/devices/acl-b/key`, {
        method: 'POST',
        headers: { 'x-api-key': ADMIN },
      });
      expect(res.status).toBe(201);
      const { apiKey } = (await res.json()) as { apiKey: string };
      expect(await closedAfter).toBeLessThan(5_000);
      await expect(
        connectAsync(mqttUrl, { ...opts, username: 'acl-b', password: keys['acl-b'] }),
      ).rejects.toThrow(/Not authorized|Bad user/i);
      keys['acl-b'] = apiKey;
      expect((await login('acl-b')).connected).toBe(true);
    });

    it('speaks MQTT over TLS to clients that trust the CA, and refuses plain text on the TLS port', async () => {
      const tlsUrl = `mqtts://127.0.0.1:${tlsPort}`;
      const c = await login('acl-a', { ca: ca.caCert }, tlsUrl);
      await c.publishAsync('env/acl-a/humidity/raw', '{"value":40,"ts":2}', { qos: 1 });
      await expect(
        connectAsync(tlsUrl, { ...opts, username: 'acl-a', password: keys['acl-a'] }),
      ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
      const plain = connect(`mqtt://127.0.0.1:${tlsPort}`, {
        ...opts,
        username: 'acl-a',
        password: keys['acl-a'],
      });
      const outcome = await new Promise<string>((resolve) => {
        plain.once('connect', () => resolve('connected'));
        plain.once('close', () => resolve('closed'));
      });
      plain.end(true);
      expect(outcome).toBe('closed');
    });
  });
});
