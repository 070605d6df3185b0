/**
 * A real fault on a running stack: PostgreSQL is stopped for 20 s under api, edge and
 * advisor. The advisor reports it within 30 s with the probe rows that prove it, keeps
 * answering meanwhile, and once PostgreSQL is back the finding resolves and the history it
 * queued while PostgreSQL was away is written.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@iotmon/testing';
import type { Finding } from './detectors';
import { compileWorkspace, startProc, type Proc } from './test-support/stack-processes';

const ADMIN = 'e2e-advisor-admin-key-0123456789';
const PASSWORDS = {
  ADVISOR_DB_PASSWORD: 'e2e-advisor-read',
  ADVISOR_HISTORY_DB_PASSWORD: 'e2e-advisor-history',
};

let build: ReturnType<typeof compileWorkspace>;
let dataDir: string;
let pgPort: number;
let postgres: Proc;
const procs: Proc[] = [];
let advisorUrl: string;

const startPostgres = () =>
  startProc(
    'postgres',
    join(__dirname, '../../../tools/stack/postgres.mjs'),
    { PG_PORT: String(pgPort), PG_DATA_DIR: join(dataDir, 'pg') },
    /postgres ready (\S+)/,
    90_000,
  );

function asRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return u.toString();
}

interface Advice {
  at: string;
  findings: Finding[];
}

async function advice(): Promise<Advice> {
  return (await (
    await fetch(`${advisorUrl}/advice`, {
      headers: { 'x-api-key': ADMIN },
      signal: AbortSignal.timeout(5_000),
    })
  ).json()) as Advice;
}

beforeAll(async () => {
  build = compileWorkspace();
  dataDir = mkdtempSync(join(tmpdir(), 'iotmon-advisor-e2e-'));
  chmodSync(dataDir, 0o755); // initdb runs as the postgres user when we are root
  pgPort = await freePort();
  postgres = startPostgres();
  const databaseUrl = (await postgres.ready)[1];
  const migrate = startProc(
    'migrate',
    build.js('libs/persistence/src/migrate.ts'),
    { DATABASE_URL: databaseUrl, ...PASSWORDS },
    /migrations:/,
  );
  await migrate.ready;
  const [mqttPort, apiPort, edgePort, advisorPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
  // Services sign in to the broker with passwords, devices with their keys (as npm start does).
  const apiLogin = { MQTT_USERNAME: 'svc:api', MQTT_PASSWORD: 'e2e-api-broker-password' };
  const broker = startProc(
    'broker',
    build.js('tools/stack/broker.ts'),
    {
      DATABASE_URL: databaseUrl,
      MQTT_PORT: String(mqttPort),
      MQTT_WS_PORT: '0',
      MQTT_PASSWORD_API: apiLogin.MQTT_PASSWORD,
    },
    /broker ready/,
  );
  procs.push(broker);
  await broker.ready;
  const api = startProc(
    'api',
    build.js('apps/api/src/main.ts'),
    {
      PORT: String(apiPort),
      DATABASE_URL: databaseUrl,
      MQTT_URL: mqttUrl,
      ADMIN_API_KEY: ADMIN,
      ...apiLogin,
    },
    /api listening/,
  );
  procs.push(api);
  await api.ready;
  const registered = await fetch(`http://127.0.0.1:${apiPort}/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
    body: JSON.stringify({ id: 'e2e-edge', name: 'advisor e2e edge' }),
  });
  expect(registered.status).toBe(201);
  const { apiKey } = (await registered.json()) as { apiKey: string };
  const edge = startProc(
    'edge',
    build.js('apps/edge/src/main.ts'),
    {
      MQTT_USERNAME: 'e2e-edge',
      MQTT_PASSWORD: apiKey,
      MQTT_URL: mqttUrl,
      NODE_ID: 'e2e-edge',
      EDGE_HTTP_PORT: String(edgePort),
      OUTBOX_DIR: join(dataDir, 'outbox'),
      SENSOR_INTERVAL_MS: '500',
    },
    /./,
  );
  const advisor = startProc(
    'advisor',
    build.js('apps/advisor/src/main.ts'),
    {
      PORT: String(advisorPort),
      ADVISOR_DATABASE_URL: asRole(databaseUrl, 'iotmon_advisor', PASSWORDS.ADVISOR_DB_PASSWORD),
      ADVISOR_HISTORY_DATABASE_URL: asRole(
        databaseUrl,
        'iotmon_advisor_history',
        PASSWORDS.ADVISOR_HISTORY_DB_PASSWORD,
      ),
      ADVISOR_SCRAPE_TARGETS: `api=http://127.0.0.1:${apiPort},edge=http://127.0.0.1:${edgePort}`,
      ADMIN_API_KEY: ADMIN,
    },
    /advisor listening/,
  );
  procs.push(edge, advisor);
  await Promise.all([edge.ready, advisor.ready]);
  advisorUrl = `http://127.0.0.1:${advisorPort}`;
  // Healthy first: readings flow and no critical finding.
  await waitFor(
    async () => {
      const r = await fetch(`http://127.0.0.1:${apiPort}/readings?limit=1`, {
        headers: { 'x-api-key': ADMIN },
      });
      return r.ok && ((await r.json()) as unknown[]).length > 0;
    },
    { timeoutMs: 60_000, what: 'readings stored' },
  );
  await waitFor(async () => Date.parse((await advice()).at) > Date.now() - 10_000, {
    timeoutMs: 30_000,
    what: 'an evaluation',
  });
}, 240_000);

afterAll(async () => {
  for (const p of procs.reverse()) await p.stop();
  await postgres?.stop();
  build?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 90_000);

it('reports PostgreSQL stopped for 20 s within 30 s, with the evidence, and recovers', async () => {
  expect((await advice()).findings.filter((f) => f.detector === 'database-unreachable')).toEqual(
    [],
  );
  const stoppedAt = Date.now();
  await postgres.stop();
  const reported = await waitFor(
    async () => (await advice()).findings.find((f) => f.detector === 'database-unreachable'),
    { timeoutMs: 30_000, intervalMs: 500, what: 'database-unreachable within 30 s' },
  );
  const latencyS = (Date.now() - stoppedAt) / 1000;
  console.log(`database-unreachable reported ${latencyS.toFixed(1)} s after PostgreSQL stopped`);
  expect(latencyS).toBeLessThan(30);
  expect(reported).toMatchObject({ severity: 'critical', subject: 'postgresql' });
  const probe = reported.evidence.find((e) => e.source.startsWith('db_probe'));
  expect(probe?.rows?.length).toBeGreaterThanOrEqual(1);
  expect(probe?.rows?.every((r) => r['ok'] === false)).toBe(true);
  expect(probe?.detail).toMatch(/ECONNREFUSED|terminat|shut|no answer/i);
  // The api's readiness says the same, as a second witness.
  expect(reported.evidence.some((e) => e.source.startsWith('iotmon_ready'))).toBe(true);

  // The outage lasts 20 s; the advisor answers questions meanwhile (from the detectors).
  const ask = await fetch(`${advisorUrl}/advice/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
    body: JSON.stringify({ question: 'why did ingestion stop?' }),
  });
  expect(ask.status).toBe(200);
  expect(((await ask.json()) as { citations: string[] }).citations).toContain(
    'database-unreachable:postgresql',
  );
  await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + 20_000 - Date.now())));
  postgres = startPostgres();
  await postgres.ready;

  await waitFor(
    async () => !(await advice()).findings.some((f) => f.detector === 'database-unreachable'),
    { timeoutMs: 30_000, what: 'the finding to resolve' },
  );
  const history = await waitFor(
    async () => {
      const h = (await (
        await fetch(`${advisorUrl}/advice/history?limit=100`, { headers: { 'x-api-key': ADMIN } })
      ).json()) as {
        kind: string;
        findingId?: string;
      }[];
      return (
        h.some((e) => e.kind === 'resolved' && e.findingId === 'database-unreachable:postgresql') &&
        h
      );
    },
    { timeoutMs: 30_000, what: 'history written after the outage' },
  );
  expect(
    history.some((e) => e.kind === 'finding' && e.findingId === 'database-unreachable:postgresql'),
  ).toBe(true);
  expect(history.some((e) => e.kind === 'answer')).toBe(true);
  for (const p of procs) expect(p.child.exitCode).toBeNull();
});
