/**
 * Acknowledged means committed, with real processes and real kills: the compiled api and
 * alerting on Debian's Mosquitto and their own embedded PostgreSQL (a process of its own, so
 * it can be stopped and started). The publisher is a plain MQTT client without an outbox, so
 * whatever reaches PostgreSQL after a fault came from the broker, not from a re-send.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeEvent, encodeReadings, type Reading } from '@iotmon/domain';
import { freePort, waitFor } from '@iotmon/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import {
  compileApps,
  mosquittoAvailable,
  root,
  start,
  startMosquitto,
  type Proc,
} from './processes';

const ADMIN = 'e2e-admin-key-0123456789';
const suite = mosquittoAvailable() || process.env['CI'] ? describe : describe.skip;

/** The sum of a metric's series, of those with `label` (e.g. `kind="raw"`) when given. */
async function metric(port: number, name: string, label?: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (
      line.startsWith(name) &&
      (line[name.length] === ' ' || line[name.length] === '{') &&
      (!label || line.includes(label))
    )
      sum += Number(line.split(' ').pop());
  return sum;
}

const status = async (url: string) =>
  (await fetch(url, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined))?.status;

const readings = (deviceId: string, from: number, n: number): Reading[] =>
  Array.from({ length: n }, (_x, i) => ({
    deviceId,
    sensor: 'temperature',
    value: 20 + (i % 10),
    ts: Date.now() - 1_000 + i,
    seq: from + i,
  }));

suite('durable consumers: ack after commit, backpressure, PostgreSQL restart', () => {
  let apps: ReturnType<typeof compileApps>;
  let dir: string;
  let mosquitto: ReturnType<typeof startMosquitto>;
  let mqttUrl: string;
  let pg: Proc;
  let pgPort: number;
  let dbUrl: string;
  let db: Client;
  let publisher: MqttClient;
  const procs: Proc[] = [];

  const startPostgres = async () => {
    pg = start('postgres', process.execPath, [join(root, 'tools/stack/postgres.mjs')], {
      PG_PORT: String(pgPort),
      PG_DATA_DIR: join(dir, 'postgres'),
    });
    await waitFor(() => /postgres ready (\S+)/.test(pg.output()), {
      what: 'postgres ready',
      timeoutMs: 120_000,
    });
    dbUrl = pg.output().match(/postgres ready (\S+)/)![1];
  };

  const startApi = async (port: number, env: Record<string, string> = {}) => {
    const p = start(`api-${port}`, process.execPath, [apps.app('api')], {
      DATABASE_URL: dbUrl,
      MQTT_URL: mqttUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: ADMIN,
      MQTT_CLIENT_ID: `api-e2e-${port}`,
      ...env,
    });
    procs.push(p);
    await waitFor(async () => (await status(`http://127.0.0.1:${port}/health/ready`)) === 200, {
      what: `api on ${port} ready`,
      timeoutMs: 60_000,
    });
    // Subscribed once the broker has the session: its consumer metrics are served from then on.
    await waitFor(() => /consuming/.test(p.output()), { what: 'api consuming', timeoutMs: 30_000 });
    return p;
  };

  const stored = async (deviceId: string) => {
    const { rows } = await db.query<{ n: string; d: string }>(
      'SELECT count(*) AS n, count(DISTINCT seq) AS d FROM readings WHERE device_id = $1',
      [deviceId],
    );
    return { rows: Number(rows[0].n), distinct: Number(rows[0].d) };
  };

  /** The test's own connection; it dies with PostgreSQL's restart, which is expected. */
  const connectDb = async () => {
    const c = new Client({ connectionString: dbUrl });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };

  /** Holds every write to readings until the returned function is called (COPY waits for the lock). */
  const holdReadings = async () => {
    const lock = new Client({ connectionString: dbUrl });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE readings IN ACCESS EXCLUSIVE MODE');
    return async () => {
      await lock.query('ROLLBACK');
      await lock.end();
    };
  };

  const exitedByThemselves = () =>
    procs
      .filter((p) => p.child.exitCode !== null || p.child.signalCode !== null)
      .map((p) => p.name);

  beforeAll(async () => {
    apps = compileApps();
    dir = mkdtempSync(join(tmpdir(), 'iotmon-durable-'));
    chmodSync(dir, 0o755); // embedded PostgreSQL runs initdb as the postgres user when we are root
    const mqttPort = await freePort();
    mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    mosquitto = startMosquitto(mqttPort);
    pgPort = await freePort();
    await startPostgres();
    const { execFileSync } = await import('node:child_process');
    execFileSync(
      process.execPath,
      [join(root, apps.dir, 'libs/persistence/src/migrate.js'), 'up'],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: dbUrl },
        stdio: 'ignore',
      },
    );
    db = await connectDb();
    await waitFor(
      async () =>
        (publisher = await connectAsync(mqttUrl, { clientId: 'e2e-device', reconnectPeriod: 200 })),
      { what: 'the publisher connected' },
    );
  }, 240_000);

  afterAll(async () => {
    await publisher?.endAsync();
    await db?.end().catch(() => undefined);
    for (const p of procs.reverse()) await p.stop();
    await pg?.stop();
    await mosquitto?.stop();
    mosquitto?.cleanup();
    apps?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('redelivers, once, a message whose consumer was killed -9 between receipt and commit; it is stored once', async () => {
    const port = await freePort();
    const first = await startApi(port);
    const release = await holdReadings();
    await publisher.publishAsync(
      'env/kill-dev/temperature/raw',
      encodeReadings(readings('kill-dev', 1, 10)),
      { qos: 1 },
    );
    // Received (its handler ran) but not committed: COPY waits for the lock.
    await waitFor(async () => (await metric(port, 'mqtt_messages_consumed_total')) >= 1, {
      what: 'the message received by the api',
    });
    await first.stop('SIGKILL');
    procs.splice(procs.indexOf(first), 1);
    await release();
    expect(await stored('kill-dev')).toEqual({ rows: 0, distinct: 0 });

    await startApi(port);
    await waitFor(async () => (await stored('kill-dev')).rows === 10, {
      what: 'the redelivered readings stored',
      timeoutMs: 20_000,
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stored('kill-dev')).toEqual({ rows: 10, distinct: 10 });
    expect(await metric(port, 'mqtt_messages_consumed_total', 'kind="raw"')).toBe(1);
    const again = procs.pop()!;
    await again.stop();
  });

  it('with a full queue takes nothing more from the broker (held there, delivered after) and answers REST 503 with Retry-After', async () => {
    const port = await freePort();
    const api = await startApi(port, {
      WRITER_QUEUE_MAX_READINGS: '1000',
      INGEST_MAX_IN_FLIGHT: '16',
    });
    const release = await holdReadings();
    const messages = 60;
    for (let i = 0; i < messages; i++)
      await publisher.publishAsync(
        'env/full-dev/temperature/raw',
        encodeReadings(readings('full-dev', 1 + i * 100, 100)),
        { qos: 1 },
      );
    // Every message is the broker's (PUBACKed to the publisher); the api holds at most 16.
    await waitFor(async () => (await metric(port, 'ingest_queue_bytes')) > 0, {
      what: 'the writer queue filling',
    });
    await new Promise((r) => setTimeout(r, 1_500));
    const taken = await metric(port, 'mqtt_messages_consumed_total', 'kind="raw"');
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThanOrEqual(16);

    const rest = await fetch(`http://127.0.0.1:${port}/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
      body: JSON.stringify(readings('full-rest', 1, 5)),
    });
    expect(rest.status).toBe(503);
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await rest.json()) as { code: string }).code).toBe('SERVICE_UNAVAILABLE');

    await release();
    await waitFor(async () => (await stored('full-dev')).rows === messages * 100, {
      what: 'every held message delivered and stored',
      timeoutMs: 30_000,
    });
    expect(await stored('full-dev')).toEqual({ rows: messages * 100, distinct: messages * 100 });
    expect(await metric(port, 'mqtt_messages_consumed_total', 'kind="raw"')).toBe(messages);
    procs.splice(procs.indexOf(api), 1);
    await api.stop();
  });

  it('survives a PostgreSQL restart under load: no process exits, not ready while it is down, nothing acknowledged lost', async () => {
    const apiPort = await freePort();
    const alertingPort = await freePort();
    await startApi(apiPort);
    const alerting = start('alerting', process.execPath, [apps.app('alerting')], {
      DATABASE_URL: dbUrl,
      MQTT_URL: mqttUrl,
      PORT: String(alertingPort),
      HOST: '127.0.0.1',
      MQTT_CLIENT_ID: 'alerting-e2e',
    });
    procs.push(alerting);
    await waitFor(
      async () => (await status(`http://127.0.0.1:${alertingPort}/health/ready`)) === 200,
      {
        what: 'alerting ready',
        timeoutMs: 60_000,
      },
    );
    await waitFor(() => /consuming/.test(alerting.output()), { what: 'alerting consuming' });

    // A steady publisher: what the broker PUBACKed is what must be stored.
    let seq = 1;
    let events = 0;
    let publishing = true;
    const load = (async () => {
      while (publishing) {
        await publisher.publishAsync(
          'env/pg-dev/temperature/raw',
          encodeReadings(readings('pg-dev', seq, 20)),
          { qos: 1 },
        );
        seq += 20;
        const state = events % 2 === 0 ? 'raised' : 'cleared';
        await publisher.publishAsync(
          'env/pg-dev/event/temperature',
          encodeEvent({
            deviceId: 'pg-dev',
            sensor: 'temperature',
            ruleId: 'too-hot',
            state,
            severity: 'warning',
            value: 31,
            ts: Date.now(),
            message: `temperature ${state}`,
            seq: events + 1,
          }),
          { qos: 1 },
        );
        events++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await new Promise((r) => setTimeout(r, 2_000));
    await pg.stop('SIGTERM');
    await waitFor(async () => (await status(`http://127.0.0.1:${apiPort}/health/ready`)) === 503, {
      what: 'api not ready while PostgreSQL is down',
    });
    await waitFor(
      async () => (await status(`http://127.0.0.1:${alertingPort}/health/ready`)) === 503,
      { what: 'alerting not ready while PostgreSQL is down' },
    );
    expect(await status(`http://127.0.0.1:${apiPort}/health/live`)).toBe(200);
    expect(await status(`http://127.0.0.1:${alertingPort}/health/live`)).toBe(200);
    await new Promise((r) => setTimeout(r, 4_000));
    await startPostgres();
    await db.end().catch(() => undefined);
    db = await connectDb();
    await waitFor(async () => (await status(`http://127.0.0.1:${apiPort}/health/ready`)) === 200, {
      what: 'api ready again',
      timeoutMs: 30_000,
    });
    await new Promise((r) => setTimeout(r, 2_000));
    publishing = false;
    await load;
    const published = seq - 1;
    await waitFor(async () => (await stored('pg-dev')).rows >= published, {
      what: `all ${published} acknowledged readings stored`,
      timeoutMs: 60_000,
    });
    expect(await stored('pg-dev')).toEqual({ rows: published, distinct: published });
    await waitFor(
      async () =>
        Number(
          (
            await db.query<{ n: string }>(
              "SELECT count(*) AS n FROM constraint_events WHERE device_id = 'pg-dev'",
            )
          ).rows[0].n,
        ) === events,
      { what: `all ${events} acknowledged events stored`, timeoutMs: 60_000 },
    );
    expect(exitedByThemselves()).toEqual([]);
  }, 240_000);
});
