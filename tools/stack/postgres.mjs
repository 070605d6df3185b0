#!/usr/bin/env node
// One process that owns the embedded PostgreSQL of `npm start`: starts it (initialising the
// data directory on first use), prints "postgres ready <url>", stops it on SIGINT/SIGTERM.
import { startEmbeddedPostgres } from './embedded-postgres.mjs';

const dataDir = process.env.PG_DATA_DIR ?? '.data/postgres';
const port = Number(process.env.PG_PORT ?? 5433);
const server = await startEmbeddedPostgres({
  dataDir,
  port,
  log: (m) => process.stdout.write(String(m)),
});
console.log(`postgres ready ${server.url}`);
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    process.exit(0);
  });
}
