#!/usr/bin/env node
// The production-install boot test: what `npm ci --omit=dev` installs must be enough to run
// every app. Copies the committed tree and the compiled dist/ into a temporary folder, installs
// production dependencies only, runs the whole stack there (tools/start.mjs with STACK_PREBUILT=1,
// since swc is a devDependency) and waits for /health/live of api, alerting, edge and advisor.
// A runtime import declared as a devDependency makes an app die at boot ("Cannot find module"):
// the stack never gets ready and this exits 1 with the stack's last lines.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compile, root } from './compile.mjs';

if (process.argv.includes('--help')) {
  console.log(`usage: node tools/prod-boot.mjs [--keep]
Installs the workspace with npm ci --omit=dev into a temporary folder and boots the stack
(embedded PostgreSQL and broker, api, alerting, edge, advisor) from it to /health/live.
  --keep   leave the temporary folder for inspection`);
  process.exit(0);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
const step = (m) => console.log(`prod-boot: ${m}`);

const started = Date.now();
const base = mkdtempSync(join(tmpdir(), 'iotmon-prod-'));
chmodSync(base, 0o755); // embedded PostgreSQL runs as the postgres user and must reach its data dir
const dir = join(base, 'app');
const files = execFileSync('git', ['ls-files', '-z'], { cwd: root })
  .toString()
  .split('\0')
  .filter(Boolean);
for (const f of files) {
  mkdirSync(dirname(join(dir, f)), { recursive: true });
  cpSync(join(root, f), join(dir, f));
}
// A fresh dist/ (a worktree's own may hold stale files), as the image build makes it.
compile({ quiet: true, outDir: join(dir, 'dist') });
const benches = readdirSync(join(dir, 'dist'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name === 'bench')
  .map((e) => join(e.parentPath ?? e.path, e.name));
if (benches.length) {
  console.error(`prod-boot: benches must not ship in dist/: ${benches.join(', ')}`);
  process.exit(1);
}
step(`copied ${files.length} files and compiled dist/ (no benches) in ${dir}`);
execFileSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
  cwd: dir,
  stdio: ['ignore', 'ignore', 'inherit'],
});
step(`npm ci --omit=dev done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const ports = {
  API_PORT: await freePort(),
  ALERTING_PORT: await freePort(),
  MQTT_PORT: await freePort(),
  MQTT_WS_PORT: await freePort(),
  PG_PORT: await freePort(),
  EDGE_HTTP_PORT: await freePort(),
  ADVISOR_PORT: await freePort(),
};
const env = {
  ...process.env,
  STACK_PREBUILT: '1',
  DATA_DIR: join(base, 'data'),
  NODE_ENV: 'production',
};
for (const [k, v] of Object.entries(ports)) env[k] = String(v);
delete env.DATABASE_URL;
delete env.MQTT_URL;
const stack = spawn(process.execPath, ['tools/start.mjs'], {
  cwd: dir,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
for (const s of [stack.stdout, stack.stderr]) s.on('data', (d) => (out += d));
const exited = new Promise((resolve) =>
  stack.on('exit', (code, signal) => resolve(code ?? signal)),
);

async function live(port) {
  const res = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined);
  return res?.status === 200;
}
const apps = {
  api: ports.API_PORT,
  alerting: ports.ALERTING_PORT,
  edge: ports.EDGE_HTTP_PORT,
  advisor: ports.ADVISOR_PORT,
};
let ok = false;
const deadline = Date.now() + 120_000;
while (Date.now() < deadline && stack.exitCode === null) {
  const states = await Promise.all(Object.values(apps).map(live));
  // A crash at boot shows as a restart in the stack's log: an app that needed a restart did not
  // boot. Only these lines end the wait early: an app's own log may say "error:" under load.
  const crash = /^.*(stopped unexpectedly|exited with code|Cannot find module).*$/m.exec(out);
  if (crash) {
    step(`stack reported: ${crash[0].trim()}`);
    break;
  }
  if (states.every(Boolean) && out.includes('Ctrl-C stops everything')) {
    ok = true;
    break;
  }
  await new Promise((r) => setTimeout(r, 500));
}
stack.kill('SIGINT');
const end = await Promise.race([
  exited,
  new Promise((r) => setTimeout(() => r('timeout'), 30_000)),
]);
if (end === 'timeout') stack.kill('SIGKILL');
if (!process.argv.includes('--keep')) rmSync(base, { recursive: true, force: true });
if (!ok) {
  console.error(out.split('\n').slice(-40).join('\n'));
  step(
    `FAILED: ${Object.keys(apps).join(', ')} did not all answer /health/live from a production install`,
  );
  process.exit(1);
}
step(
  `ok: ${Object.keys(apps).join(', ')} answered /health/live from npm ci --omit=dev (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
