/**
 * `npx nx run api:bench`: ingestion and query figures of the api against embedded PostgreSQL
 * on this machine (see apps/api/BENCHMARKS.md). Prints its last line as
 * `ingest_vs_copy_ceiling=<ratio> iot_create_rows_per_s=<n> post_readings_p99_ms=<n>
 * mqtt_ingest_per_s=<n> api_peak_rss_mb=<n>`.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Reading } from '@iotmon/domain';
import { generateServicePasswords, startRegistryBroker } from '@iotmon/messaging';
import { encodeReadingsBinary, runMigrations } from '@iotmon/persistence';
import { Client } from 'pg';
import { Pool as HttpPool } from 'undici';
import { createApiApp } from '../src/app.factory';
import { loadApiConfig } from '../src/config';
import { runMqttIngest } from './mqtt-ingest';

const run = promisify(execFile);
const ADMIN = 'bench-admin-key-0123456789';
const CEILING_ROWS = 1_000_000;
/** The workspace root (compiled into tmp/run-ts/apps/api/bench/). */
const root = join(__dirname, '../../../../..');
const importEsm = new Function('p', 'return import(p)') as (p: string) => Promise<{
  startEmbeddedPostgres(o: { dataDir: string; port: number; database: string }): Promise<{
    url: string;
    stop(): Promise<void>;
  }>;
}>;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function rows(prefix: string, n: number, t0: number): Reading[] {
  return Array.from({ length: n }, (_, i) => ({
    deviceId: `${prefix}-${i % 1000}`,
    sensor: 'temperature' as const,
    value: 20 + (i % 100) / 10,
    ts: t0 + Math.floor(i / 1000),
    seq: i,
  }));
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `total` requests at `concurrency`; returns seconds and sorted latencies (ms). */
async function load(
  concurrency: number,
  total: number,
  send: (i: number) => Promise<void>,
): Promise<{ seconds: number; lat: number[] }> {
  const lat: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await send(i);
        lat.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, lat: lat.sort((a, b) => a - b) };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'iotmon-bench-'));
  chmodSync(work, 0o755); // initdb runs as the postgres user when we are root
  const { startEmbeddedPostgres } = await importEsm(
    join(root, 'tools/stack/embedded-postgres.mjs'),
  );
  const pg = await startEmbeddedPostgres({
    dataDir: join(work, 'pg'),
    port: await freePort(),
    database: 'bench',
  });
  const sql = new Client({ connectionString: pg.url });
  await runMigrations(pg.url);
  const broker = await startRegistryBroker({
    databaseUrl: pg.url,
    services: generateServicePasswords(),
    port: 0,
  });
  try {
    await sql.connect();
    // A checkpoint's final fsync of the data files stalls every commit's WAL fsync behind it
    // (measured: the two slowest single POSTs, 305 and 226 ms, ended with a WAL-triggered
    // checkpoint's "sync=0.591 s"). Ingest servers raise max_wal_size so bulk loads do not
    // force checkpoints every few seconds, and each phase below starts from a CHECKPOINT so
    // none pays the dirty pages and WAL of the phase before it. Durability is unchanged.
    await sql.query(`ALTER SYSTEM SET max_wal_size = '4GB'`);
    await sql.query('SELECT pg_reload_conf()');
    const t0 = Date.now() - 3_600_000;

    // (a) ceiling: psql \copy (FORMAT binary) of pre-generated files, 1 and 4 clients.
    const files = [1, 4].map((clients) =>
      Array.from({ length: clients }, (_, c) => {
        const f = join(work, `copy-${clients}-${c}.bin`);
        writeFileSync(
          f,
          encodeReadingsBinary(rows(`ceil${clients}x${c}`, CEILING_ROWS / clients, t0)),
        );
        return f;
      }),
    );
    const ceilings: number[] = [];
    for (const set of files) {
      await sql.query('TRUNCATE readings');
      await sql.query('CHECKPOINT');
      const started = performance.now();
      await Promise.all(
        set.map((f) =>
          run('psql', [
            pg.url,
            '-qc',
            `\\copy readings (device_id, sensor, ts, seq, value, late) FROM '${f}' (FORMAT binary)`,
          ]),
        ),
      );
      const rate = CEILING_ROWS / ((performance.now() - started) / 1000);
      ceilings.push(rate);
      console.log(`copy ceiling, ${set.length} client(s): ${Math.round(rate)} rows/s`);
    }
    const ceiling = Math.max(...ceilings);
    await sql.query('TRUNCATE readings');
    await sql.query('CHECKPOINT');

    /** (b)-(d): REST ingestion and queries on the in-process api. */
    const rest = async () => {
      const api = await createApiApp(
        loadApiConfig({
          DATABASE_URL: pg.url,
          ...broker.env('api'),
          ADMIN_API_KEY: ADMIN,
          // The bench measures the api, not its rate limiter (one key from one address).
          RATE_LIMIT_PER_IP: '0',
          RATE_LIMIT_PER_IDENTITY: '0',
          INGEST_MQTT: 'false',
          POD_NAME: 'bench',
          NODE_NAME: 'bench',
        }),
        false,
      );
      await api.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
      const http = new HttpPool(base, { connections: 32, pipelining: 1 });
      const call = async (method: 'GET' | 'POST', path: string, body?: string, expect = 200) => {
        const res = await http.request({
          method,
          path,
          body,
          // Writes need a key since the authentication work (issue 13), /iot/create too.
          headers: body
            ? { 'content-type': 'application/json', 'x-api-key': ADMIN }
            : { 'x-api-key': ADMIN },
        });
        await res.body.text();
        if (res.statusCode !== expect) throw new Error(`${method} ${path}: ${res.statusCode}`);
      };

      // (b) POST /readings, 500 per request, 32 concurrent; bodies pre-serialised.
      const POSTS = 2_400;
      const bodies = Array.from({ length: 200 }, (_, b) => rows(`post${b}`, 500, t0));
      const post = await load(32, POSTS, (i) => {
        const k = i % 200;
        const round = Math.floor(i / 200);
        const body = JSON.stringify(bodies[k].map((r) => ({ ...r, seq: r.seq! + round * 500 })));
        return call('POST', '/readings', body, 201);
      });
      const postRate = (POSTS * 500) / post.seconds;
      console.log(
        `POST /readings x500 @32: ${Math.round(postRate)} rows/s, p50 ${pct(post.lat, 50).toFixed(1)} ms, p99 ${pct(post.lat, 99).toFixed(1)} ms`,
      );
      await sql.query('CHECKPOINT');
      const light = await load(1, 200, (i) =>
        call('POST', '/readings', JSON.stringify(rows(`light${i}`, 500, t0)), 201),
      );
      console.log(
        `POST /readings x500 @1 (latency): p50 ${pct(light.lat, 50).toFixed(1)} ms, p99 ${pct(light.lat, 99).toFixed(1)} ms`,
      );

      // (c) GET /iot/create?n=500, 32 concurrent.
      const CREATES = 2_000;
      const create = await load(32, CREATES, () =>
        call('GET', '/iot/create?n=500', undefined, 201),
      );
      const createRate = (CREATES * 500) / create.seconds;
      console.log(
        `GET /iot/create?n=500 @32: ${Math.round(createRate)} rows/s, p50 ${pct(create.lat, 50).toFixed(1)} ms, p99 ${pct(create.lat, 99).toFixed(1)} ms`,
      );

      // (d) latest 100 of a device on a 10 M-row table.
      const have = Number((await sql.query('SELECT count(*) FROM readings')).rows[0].count);
      await sql.query(
        `INSERT INTO readings (device_id, sensor, ts, seq, value)
         SELECT 'big-' || (g % 10000), (ARRAY['temperature','humidity','light','air_quality'])[1 + g % 4],
                now() - interval '20 hours' + (g / 10000) * interval '60 ms', g, (g % 1000) / 10.0
           FROM generate_series(1, $1::int) g`,
        [10_000_000 - have],
      );
      // Steady state of a table this size: autovacuum's insert-triggered VACUUM sets the
      // visibility map, which lets the latest-N query stay an index-only scan.
      await sql.query('VACUUM ANALYZE readings');
      const latest = await load(4, 4_000, (i) =>
        call('GET', `/readings?deviceId=big-${(i * 37) % 10000}&limit=100`),
      );
      console.log(
        `GET /readings?deviceId&limit=100 on 10M rows @4: p50 ${pct(latest.lat, 50).toFixed(2)} ms, p99 ${pct(latest.lat, 99).toFixed(2)} ms`,
      );

      await http.close();
      await api.close();
      return { postRate, createRate, postP99: pct(post.lat, 99) };
    };
    // --mqtt-only: the ceiling and (e), for work on the MQTT path (no last line).
    const mqttOnly = process.argv.includes('--mqtt-only');
    const r = mqttOnly ? undefined : await rest();

    // (e) MQTT ingestion end to end: publishers -> broker -> api (own processes) -> PostgreSQL,
    // each reading counted when its commit ack is back at its publisher.
    await sql.query('TRUNCATE readings');
    await sql.query('CHECKPOINT');
    const MQ = { devices: 100, perDevice: 30_000, batch: 500, window: 2, publishers: 10 };
    const mq = await runMqttIngest({
      databaseUrl: pg.url,
      pgDataDir: join(work, 'pg'),
      ports: [await freePort(), await freePort(), await freePort()],
      t0,
      ...MQ,
    });
    const stored = Number(
      (await sql.query(`SELECT count(*) FROM readings WHERE device_id LIKE 'mq-%'`)).rows[0].count,
    );
    console.log(
      `MQTT ${MQ.devices} devices x ${MQ.perDevice} readings, ${MQ.batch} per message, QoS 1, ${MQ.window} unacked messages per device, ${MQ.publishers} connections: ${Math.round(mq.perS)} readings/s end to end (${mq.readings} in ${mq.seconds.toFixed(1)} s, ${mq.acks} acks), ${(mq.perS / ceiling).toFixed(2)} of the COPY ceiling; stored ${stored}, lost ${mq.readings - stored}; api peak RSS ${mq.apiPeakRssMb.toFixed(0)} MB (${mq.apiIdleRssMb.toFixed(0)} MB idle)`,
    );
    const cores = Object.entries(mq.cpu).map(([k, v]) => `${k} ${v.toFixed(2)}`);
    console.log(`MQTT phase CPU (cores busy): ${cores.join(', ')}`);
    if (stored !== mq.readings)
      throw new Error(`${mq.readings - stored} acknowledged readings not stored`);

    if (r)
      console.log(
        `ingest_vs_copy_ceiling=${(r.postRate / ceiling).toFixed(2)} iot_create_rows_per_s=${Math.round(r.createRate)} post_readings_p99_ms=${r.postP99.toFixed(1)} mqtt_ingest_per_s=${Math.round(mq.perS)} api_peak_rss_mb=${Math.round(mq.apiPeakRssMb)}`,
      );
  } finally {
    await sql.end().catch(() => undefined);
    await broker.close();
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench failed: ${e.stack ?? e.message}`);
    process.exit(1);
  },
);
