/**
 * Any device joins through the protocol: the Python device (examples/python-device, paho-mqtt)
 * against Debian's Mosquitto with password authentication and the ACL of libs/messaging,
 * the compiled api and alerting, real PostgreSQL. Its readings are stored, its local
 * violation raises an alarm, a rule-set change reaches it; the HTTP device example works too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceAcl, SERVICE_ACLS, type TopicAcl } from '@iotmon/messaging';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@iotmon/testing';
import mqtt from 'mqtt';
import {
  compileApps,
  mosquittoAvailable,
  root,
  start,
  startMosquitto,
  type Proc,
} from './processes';

const ADMIN = 'e2e-admin-key-0123456789';
const DEVICE = 'py-1';
const PYTHON = '/usr/bin/python3';

function pahoAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import paho.mqtt.client'], { stdio: 'ignore' }).status === 0;
}
const ready = mosquittoAvailable() && pahoAvailable();
// CI installs both (.ci/run); elsewhere the suite says what is missing and skips.
const suite = ready || process.env['CI'] ? describe : describe.skip;
if (!ready && !process.env['CI']) {
  console.warn('mosquitto or python3-paho-mqtt missing: Python device e2e skipped');
}

/** The ACL table of libs/messaging as a Mosquitto ACL file (devices by `%u` pattern). */
function mosquittoAcl(services: Record<string, TopicAcl>): string[] {
  const lines: string[] = [];
  const device = deviceAcl('%u');
  for (const t of device.publish) lines.push(`pattern write ${t}`);
  for (const t of device.subscribe) lines.push(`pattern read ${t}`);
  for (const [user, acl] of Object.entries(services)) {
    lines.push(`user ${user}`);
    for (const t of acl.publish) lines.push(`topic write ${t}`);
    for (const t of acl.subscribe) lines.push(`topic read ${t}`);
  }
  return lines;
}

async function call<T>(
  method: string,
  url: string,
  body?: unknown,
  key = ADMIN,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

interface AlarmItem {
  ruleId: string;
  state: string;
}

suite('the Python device on Mosquitto with authentication', () => {
  let apps: ReturnType<typeof compileApps>;
  let mosquitto: ReturnType<typeof startMosquitto>;
  let db: TestDatabase;
  let api: string;
  let alerting: string;
  let mqttPort: number;
  let deviceKey: string;
  let stateDir: string;
  let device: Proc | undefined;
  const procs: Proc[] = [];
  // Mosquitto's password file cannot hold the embedded broker's `svc:` names (a colon ends
  // the user name there), so the services sign in under their own names with the same ACL.
  const services = { 'iotmon-api': 'api-secret-e2e', 'iotmon-alerting': 'alerting-secret-e2e' };

  beforeAll(async () => {
    apps = compileApps();
    stateDir = mkdtempSync(join(tmpdir(), 'iotmon-py-'));
    db = await createTestDatabase();
    const [apiPort, alertingPort] = [await freePort(), await freePort()];
    api = `http://127.0.0.1:${apiPort}`;
    alerting = `http://127.0.0.1:${alertingPort}`;
    // The device's password is its device key: register it first (the api needs no broker for that).
    const registrar = start('api-registrar', process.execPath, [apps.app('api')], {
      DATABASE_URL: db.url,
      MQTT_URL: 'mqtt://127.0.0.1:1',
      INGEST_MQTT: 'false',
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: ADMIN,
    });
    await waitFor(
      async () => (await fetch(`${api}/health/live`).catch(() => null))?.status === 200,
      {
        timeoutMs: 60_000,
        what: `api up (${registrar.output()})`,
      },
    );
    const created = await call<{ apiKey: string }>('POST', `${api}/devices`, {
      id: DEVICE,
      name: 'Python device',
      sensors: ['temperature', 'humidity'],
    });
    expect(created.status).toBe(201);
    deviceKey = created.body.apiKey;
    await registrar.stop();

    mqttPort = await freePort();
    mosquitto = startMosquitto(mqttPort, {
      users: { ...services, [DEVICE]: deviceKey },
      acl: mosquittoAcl({
        'iotmon-api': SERVICE_ACLS.api,
        'iotmon-alerting': SERVICE_ACLS.alerting,
      }),
    });
    const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    procs.push(
      start('api', process.execPath, [apps.app('api')], {
        DATABASE_URL: db.url,
        MQTT_URL: mqttUrl,
        MQTT_USERNAME: 'iotmon-api',
        MQTT_PASSWORD: services['iotmon-api'],
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        ADMIN_API_KEY: ADMIN,
      }),
      start('alerting', process.execPath, [apps.app('alerting')], {
        DATABASE_URL: db.url,
        MQTT_URL: mqttUrl,
        MQTT_USERNAME: 'iotmon-alerting',
        MQTT_PASSWORD: services['iotmon-alerting'],
        PORT: String(alertingPort),
        HOST: '127.0.0.1',
        ADMIN_API_KEY: ADMIN,
      }),
    );
    for (const url of [api, alerting]) {
      await waitFor(
        async () => (await fetch(`${url}/health/ready`).catch(() => null))?.status === 200,
        {
          timeoutMs: 60_000,
          what: `${url} ready (${procs.map((p) => p.output()).join('\n')})`,
        },
      );
    }
  }, 180_000);

  afterAll(async () => {
    await device?.stop();
    await Promise.all(procs.map((p) => p.stop()));
    await mosquitto?.stop();
    mosquitto?.cleanup();
    await db?.drop();
    apps?.cleanup();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('refuses a client without the device key', async () => {
    for (const password of [undefined, 'wrong']) {
      const client = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, {
        username: DEVICE,
        password,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
      });
      const outcome = await new Promise<string>((resolve) => {
        client.once('connect', () => resolve('connected'));
        client.once('error', (e) => resolve(e.message));
      });
      client.end(true);
      expect(outcome).toMatch(/not authori[sz]ed|bad user ?name or password/i);
    }
  });

  it('stores its readings, raises its violation as an alarm, and takes a rule-set change', async () => {
    device = start('python-device', PYTHON, [join(root, 'examples/python-device/device.py')], {
      DEVICE_ID: DEVICE,
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      MQTT_USERNAME: DEVICE,
      MQTT_PASSWORD: deviceKey,
      // 35 °C is above the default rule's 30 °C.
      SENSORS: 'temperature:100,humidity:150',
      VALUES: 'temperature:35,humidity:45',
      STATE_FILE: join(stateDir, 'state.json'),
      ACK_TIMEOUT_S: '5',
      PYTHONUNBUFFERED: '1',
    });

    await waitFor(
      async () => {
        const r = await call<{ sensor: string; seq: number }[]>(
          'GET',
          `${api}/readings?deviceId=${DEVICE}&limit=200`,
        );
        const sensors = new Set(r.body.map((x) => x.sensor));
        return r.body.length >= 20 && sensors.has('temperature') && sensors.has('humidity');
      },
      { timeoutMs: 30_000, what: `readings of ${DEVICE} (device output: ${device.output()})` },
    );

    const alarm = await waitFor(
      async () => {
        const r = await call<{ items: AlarmItem[] }>(
          'GET',
          `${alerting}/alerts?deviceId=${DEVICE}`,
        );
        return r.body.items.find((a) => a.ruleId === 'temperature_alert' && a.state === 'active');
      },
      {
        timeoutMs: 30_000,
        what: `active temperature_alert of ${DEVICE} (device output: ${device.output()})`,
      },
    );
    expect(alarm).toBeDefined();

    // A stricter rule set for this device: 35 °C no longer violates it, so the device clears.
    const created = await call<{ id: string }>('POST', `${alerting}/rule-sets`, {
      name: 'python strict',
      ruleSet: {
        version: 1,
        name: 'python strict',
        rules: [
          {
            id: 'temperature_alert',
            sensor: 'temperature',
            severity: 'warning',
            kind: 'threshold',
            op: '>',
            value: 40,
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const assigned = await call('PUT', `${alerting}/rule-sets/${created.body.id}/assignments`, {
      devices: [DEVICE],
    });
    expect(assigned.status).toBe(200);
    await waitFor(async () => /config applied: 'python strict'/.test(device!.output()), {
      timeoutMs: 20_000,
      what: `the rule set at the device (output: ${device.output()})`,
    });
    await waitFor(
      async () => {
        const r = await call<{ items: AlarmItem[] }>(
          'GET',
          `${alerting}/alerts?deviceId=${DEVICE}`,
        );
        return r.body.items.some((a) => a.ruleId === 'temperature_alert' && a.state === 'cleared');
      },
      { timeoutMs: 20_000, what: `temperature_alert cleared (device output: ${device.output()})` },
    );

    // The commit acks drain its outbox: after 100 stored readings, a clean stop leaves only
    // what was sampled in the last moments unacknowledged (no acks: all 100+ would be left).
    await waitFor(
      async () =>
        (await call<unknown[]>('GET', `${api}/readings?deviceId=${DEVICE}&limit=1000`)).body
          .length >= 100,
      { timeoutMs: 30_000, what: '100 stored readings' },
    );
    await device.stop('SIGTERM');
    const left = /stopped; (\d+) item\(s\) not acknowledged/.exec(device.output());
    expect(left).not.toBeNull();
    const stored = await call<unknown[]>('GET', `${api}/readings?deviceId=${DEVICE}&limit=1000`);
    expect(Number(left![1])).toBeLessThan(stored.body.length / 5);
    // Last will or its own goodbye: the device is offline.
    await waitFor(
      async () =>
        (await call<{ status: string }>('GET', `${api}/devices/${DEVICE}`)).body.status ===
        'offline',
      { timeoutMs: 10_000, what: `${DEVICE} offline` },
    );
  }, 120_000);

  it('takes readings from the HTTP device example with the device key', () => {
    const run = spawnSync(
      join(root, 'examples/http-device/send-reading.sh'),
      ['humidity', '51.5'],
      {
        env: {
          ...process.env,
          API_URL: api,
          DEVICE_ID: DEVICE,
          DEVICE_KEY: deviceKey,
          SEQ: '900000',
        },
        encoding: 'utf8',
      },
    );
    if (run.status !== 0)
      throw new Error(`send-reading.sh exited ${run.status}: ${run.stdout}${run.stderr}`);
    expect(JSON.parse(run.stdout)).toEqual({ accepted: 1, rejected: 0 });
    const bad = spawnSync(join(root, 'examples/http-device/send-reading.sh'), ['humidity', '500'], {
      env: {
        ...process.env,
        API_URL: api,
        DEVICE_ID: DEVICE,
        DEVICE_KEY: deviceKey,
        SEQ: '900001',
      },
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/refused \(400\).*value/);
  });
});
