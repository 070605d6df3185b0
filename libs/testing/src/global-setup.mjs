// Jest global setup for integration tiers: one real embedded PostgreSQL per Jest run (fsync
// off, temporary directory, free port) with the migrations run once into a template
// database; each test file clones it (see test-database.ts).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { compile, root } from '../../../tools/compile.mjs';
import { startEmbeddedPostgres } from '../../../tools/stack/embedded-postgres.mjs';

export const TEMPLATE = 'iotmon_template';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function buildTemplate(adminUrl, workDir) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  // Migrations are TypeScript: compile them into this run's own directory and run them.
  // Inside the workspace so that the compiled files resolve node_modules.
  const outDir = join(root, 'tmp', basename(workDir));
  compile({ quiet: true, outDir, sources: ['libs/persistence/src', 'libs/domain/src'] });
  const url = new URL(adminUrl);
  url.pathname = `/${TEMPLATE}`;
  execFileSync(process.execPath, [join(outDir, 'libs/persistence/src/migrate.js'), 'up'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export default async function globalSetup() {
  const workDir = mkdtempSync(join(tmpdir(), 'iotmon-it-'));
  chmodSync(workDir, 0o755); // initdb runs as the postgres user when we are root
  const server = await startEmbeddedPostgres({
    dataDir: join(workDir, 'pg'),
    port: await freePort(),
    database: 'postgres',
    fast: true,
  });
  globalThis.__IOTMON_PG__ = { server, workDir };
  process.env.TEST_PG_ADMIN_URL = server.adminUrl;
  try {
    await buildTemplate(server.adminUrl, workDir);
  } finally {
    rmSync(join(root, 'tmp', basename(workDir)), { recursive: true, force: true });
  }
}
