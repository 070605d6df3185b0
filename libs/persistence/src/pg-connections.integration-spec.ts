/**
 * A real PostgreSQL restart under PgConnections: statements in flight on the pool (node-postgres
 * and TypeORM paths) and connections checked out but idle reject instead of crashing the process, the pool serves again once the
 * server is back, and the dedicated LISTEN connection reconnects and hears NOTIFY again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, waitFor } from '@iotmon/testing';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { PgConnections, type Listener } from './pg-connections';

const POSTGRES = join(__dirname, '../../../tools/stack/postgres.mjs');

function startPostgres(
  dataDir: string,
  port: number,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [POSTGRES], {
    env: { ...process.env, PG_PORT: String(port), PG_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => stopChild(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stderr!.on('data', (d: Buffer) => (out += d));
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /postgres ready (\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop });
    });
    child.once('exit', (code) =>
      reject(new Error(`postgres exited (${code}):\n${out.slice(-2000)}`)),
    );
  });
}

let dir: string;
let port: number;
let pg: { url: string; stop(): Promise<void> } | undefined;
let ds: DataSource;
let conns: PgConnections;
let listener: Listener;
const heard: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgconn-'));
  chmodSync(dir, 0o755); // initdb runs as the postgres user when we are root
  port = await freePort();
  pg = await startPostgres(join(dir, 'pg'), port);
  ds = createDataSource(pg.url, 6);
  await ds.initialize();
  conns = new PgConnections(ds);
  listener = await conns.listen('pgconn_test', (p) => heard.push(p), undefined, 200);
}, 120_000);

afterAll(async () => {
  await listener?.close();
  await ds?.destroy().catch(() => undefined);
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

it('survives a PostgreSQL restart: in-flight statements reject, pool and LISTEN recover', async () => {
  await conns.rows(`SELECT pg_notify('pgconn_test', 'before')`, []);
  await waitFor(() => heard.includes('before'), { what: 'NOTIFY before the restart' });

  // Checked out while the server goes away: one through node-postgres, one through TypeORM.
  const viaPool = conns.rows('SELECT pg_sleep(60)', []).then(
    () => 'resolved',
    () => 'rejected',
  );
  const viaTypeorm = ds.query('SELECT pg_sleep(60)').then(
    () => 'resolved',
    () => 'rejected',
  );
  await waitFor(
    async () => {
      const [{ n }] = await conns.rows<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'`,
        [],
      );
      return Number(n) === 2;
    },
    { what: 'both sleeps running' },
  );

  // Checked out and idle between statements (a COPY writer, a TypeORM transaction): the
  // connection's 'error' has no pool listener then.
  const held = await conns.pool.connect();
  const runner = ds.createQueryRunner();
  await runner.connect();

  await pg!.stop();
  expect(await viaPool).toBe('rejected');
  expect(await viaTypeorm).toBe('rejected');
  await expect(conns.rows('SELECT 1', [])).rejects.toThrow();
  await expect(held.query('SELECT 1')).rejects.toThrow();
  held.release(true);
  await runner.release();

  pg = await startPostgres(join(dir, 'pg'), port);
  await waitFor(
    async () =>
      (await conns.rows<{ one: number }>('SELECT 1 AS one', []).catch(() => []))[0]?.one === 1,
    { timeoutMs: 20_000, what: 'the pool serving again' },
  );
  await waitFor(
    async () => {
      await conns.rows(`SELECT pg_notify('pgconn_test', 'after')`, []);
      return heard.includes('after');
    },
    { timeoutMs: 20_000, what: 'NOTIFY after the restart' },
  );
  expect((await ds.query('SELECT 2 AS two'))[0].two).toBe(2);
}, 120_000);
