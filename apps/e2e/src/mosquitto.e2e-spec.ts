/**
 * The production topology on one machine: Debian's Mosquitto, two api replicas sharing the
 * raw stream through an MQTT v5 shared subscription, real edge processes, real PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@iotmon/testing';
import { Client } from 'pg';
import { compileApps, mosquittoAvailable, start, startMosquitto, type Proc } from './processes';

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
  let mosquitto: ReturnType<typeof startMosquitto>;
  let db: TestDatabase;
  let apiPorts: number[];
  let alertingPort = 0;
  let mqttUrl: string;
  let outboxDir: string;
  const procs: Proc[] = [];

  const edge = (nodeId: string) =>
    start(`edge-${nodeId}`, process.execPath, [apps.app('edge')], {
      MQTT_URL: mqttUrl,
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
    mosquitto = startMosquitto(mqttPort);
    db = await createTestDatabase();
    apiPorts = [await freePort(), await freePort()];
    for (const [i, port] of apiPorts.entries()) {
      procs.push(
        start(`api-${i}`, process.execPath, [apps.app('api')], {
          DATABASE_URL: db.url,
          MQTT_URL: mqttUrl,
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
        MQTT_SHARED_GROUP: 'alerting',
        PORT: String(alertingPort),
        HOST: '127.0.0.1',
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
    const node = edge('e2e-1');
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
    const node = edge('e2e-2');
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
});
