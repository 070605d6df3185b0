/**
 * Records scenarios from the real stack under induced faults (origin "recorded"): starts
 * `npm start` (tools/start.mjs) on free ports, runs the advisor's collector in-process
 * against it, induces each fault on the real processes, and stores the snapshot the advisor
 * saw plus the findings that fault must produce (decided here, before the capture, not taken
 * from the detectors' output). `nx run advisor:record [--only name]`
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { NestFactory } from '@nestjs/core';
import { connectAsync, type MqttClient } from 'mqtt';
import { freePort } from '@iotmon/testing';
import { AdvisorModule } from '../src/app.module';
import { FindingsEngine } from '../src/advice/findings-engine';
import { loadAdvisorConfig } from '../src/config';
import { runDetectors } from '../src/detectors';
import { scenariosDir, type Scenario } from './scenario';

const ADMIN = 'recorder-admin-key-0123456789';
const PW = {
  ADVISOR_DB_PASSWORD: 'rec-advisor',
  ADVISOR_HISTORY_DB_PASSWORD: 'rec-advisor-history',
};
const WORKSPACE = join(__dirname, '../../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (m: string) => console.log(`[record ${new Date().toISOString().slice(11, 19)}] ${m}`);

if (process.argv.includes('--help')) {
  console.log('usage: nx run advisor:record   (about 12 minutes; writes eval/scenarios/r*.json)');
  process.exit(0);
}

/** Every process of the stack by name, from `ps` (children of start.mjs and their children). */
function pidsOf(root: number, match: RegExp): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows)
      if (tree.has(r.ppid) && !tree.has(r.pid)) {
        tree.add(r.pid);
        grew = true;
      }
  }
  const hit = rows.filter((r) => tree.has(r.pid) && match.test(r.args)).map((r) => r.pid);
  // A matched process's own children (PostgreSQL backends) go with it.
  const all = new Set(hit);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows)
      if (all.has(r.ppid) && !all.has(r.pid)) {
        all.add(r.pid);
        grew = true;
      }
  }
  return [...all];
}

const signal = (pids: number[], sig: NodeJS.Signals) => pids.forEach((p) => process.kill(p, sig));

async function main() {
  const only = process.argv.includes('--only')
    ? process.argv[process.argv.indexOf('--only') + 1]
    : undefined;
  const ports = Object.fromEntries(
    await Promise.all(
      ['API_PORT', 'ALERTING_PORT', 'MQTT_PORT', 'MQTT_WS_PORT', 'PG_PORT', 'EDGE_HTTP_PORT'].map(
        async (k) => [k, String(await freePort())],
      ),
    ),
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'iotmon-record-'));
  chmodSync(dataDir, 0o755);
  const stack: ChildProcess = spawn(process.execPath, ['tools/start.mjs'], {
    cwd: WORKSPACE,
    env: {
      ...process.env,
      ...ports,
      ...PW,
      ADVISOR: '0',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: ADMIN,
      SENSOR_INTERVAL_MS: '1000',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      WEBHOOK_BACKOFF_MS: '500',
      WEBHOOK_BACKOFF_MAX_MS: '2000',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let pgUrl = '';
  await new Promise<void>((resolve, reject) => {
    for (const s of [stack.stdout!, stack.stderr!])
      createInterface({ input: s }).on('line', (l) => {
        const m = l.match(/postgres ready (\S+)/);
        if (m) pgUrl = m[1];
        if (/\[stack\] ready:/.test(l)) resolve();
        if (/error/i.test(l) && /\[stack\]/.test(l)) console.error(l);
      });
    stack.once('exit', (c) => reject(new Error(`stack exited ${c}`)));
  });
  const asRole = (role: string, pw: string) =>
    Object.assign(new URL(pgUrl), { username: role, password: pw }).toString();
  const api = `http://127.0.0.1:${ports['API_PORT']}`;
  const alerting = `http://127.0.0.1:${ports['ALERTING_PORT']}`;
  const advisor = await NestFactory.createApplicationContext(
    AdvisorModule.register(
      loadAdvisorConfig({
        ADVISOR_DATABASE_URL: asRole('iotmon_advisor', PW.ADVISOR_DB_PASSWORD),
        ADVISOR_HISTORY_DATABASE_URL: asRole(
          'iotmon_advisor_history',
          PW.ADVISOR_HISTORY_DB_PASSWORD,
        ),
        ADVISOR_SCRAPE_TARGETS: `api=${api},alerting=${alerting},edge=http://127.0.0.1:${ports['EDGE_HTTP_PORT']}`,
        ADVISOR_LOG_FILE: join(dataDir, 'stack.log'),
      }),
    ),
    { logger: ['warn', 'error'] },
  );
  await advisor.init();
  const engine = advisor.get(FindingsEngine);
  const written: string[] = [];

  async function capture(s: Omit<Scenario, 'origin' | 'snapshot'>, file: string) {
    if (only && only !== s.name) return;
    await engine.evaluate();
    const snapshot = engine.snapshot()!;
    const found = runDetectors(snapshot).map((f) => f.id);
    writeFileSync(
      join(scenariosDir(), file),
      JSON.stringify({ ...s, origin: 'recorded', snapshot } satisfies Scenario) + '\n',
    );
    written.push(file);
    say(`captured ${s.name}: detectors see ${found.join(', ') || 'nothing'}`);
  }

  try {
    say('warming up 150 s (baselines)');
    await sleep(150_000);
    await capture(
      {
        name: 'recorded-healthy',
        description: 'npm start with one edge node (1-s sensors), after warming up.',
        fault: 'none',
        expect: [],
      },
      'r01-recorded-healthy.json',
    );

    say('pausing every PostgreSQL process (SIGSTOP) for 25 s');
    const pg = pidsOf(stack.pid!, /bin\/postgres /);
    signal(pg, 'SIGSTOP');
    await sleep(20_000);
    await capture(
      {
        name: 'recorded-pg-paused',
        description:
          'PostgreSQL frozen (SIGSTOP of the postmaster and every backend) for 20 s: probes time out, the api is not ready.',
        fault: 'PostgreSQL paused (SIGSTOP) 20 s',
        expect: [
          { detector: 'database-unreachable', subject: 'postgresql', evidence: ['db_probe'] },
        ],
        allow: [
          'ingest-stalled',
          'backlog-growing',
          'ingest-write-failures',
          'ingest-lag-rising',
          'db-pool-saturated',
        ],
        question: 'Why did ingestion stop?',
      },
      'r02-recorded-pg-paused.json',
    );
    signal(pg, 'SIGCONT');
    say('PostgreSQL resumed; calm for 120 s');
    await sleep(120_000);

    say('pausing the edge process (SIGSTOP) for 75 s');
    const edge = pidsOf(stack.pid!, /apps\/edge\/src\/main\.js/);
    signal(edge, 'SIGSTOP');
    await sleep(75_000);
    await capture(
      {
        name: 'recorded-edge-silent',
        description:
          'The edge node frozen for 75 s: no readings, its /metrics scrape fails, still marked online.',
        fault: 'edge node hung (SIGSTOP) 75 s',
        expect: [
          { detector: 'device-silent', subject: 'edge-1', evidence: ['last_seen_at'] },
          { detector: 'consumer-down', subject: 'edge/' },
        ],
        allow: ['ingest-stalled'],
        question: 'Why does edge-1 not report?',
      },
      'r03-recorded-edge-silent.json',
    );
    signal(edge, 'SIGCONT');
    say('edge resumed; calm for 90 s');
    await sleep(90_000);

    say('pausing the api process (SIGSTOP) for 30 s');
    const apiPids = pidsOf(stack.pid!, /apps\/api\/src\/main\.js/);
    signal(apiPids, 'SIGSTOP');
    await sleep(30_000);
    await capture(
      {
        name: 'recorded-api-hung',
        description:
          'The only api replica frozen for 30 s: its scrape fails, nothing is ingested, the edge outbox fills.',
        fault: 'api replica hung (SIGSTOP) 30 s',
        expect: [{ detector: 'consumer-down', subject: 'api/' }],
        allow: ['ingest-stalled', 'backlog-growing'],
      },
      'r04-recorded-api-hung.json',
    );
    signal(apiPids, 'SIGCONT');
    say('api resumed; calm for 150 s');
    await sleep(150_000);
    await capture(
      {
        name: 'recorded-healthy-after-faults',
        description: 'The same stack 150 s after the last fault cleared.',
        fault: 'none',
        expect: [],
      },
      'r05-recorded-healthy-after-faults.json',
    );

    say(
      'a flapping sensor (flappy-1, 30 ± 0.5 against "> 30") and a webhook target that refuses connections',
    );
    const closed = await freePort(); // nothing listens there
    const post = (url: string, body: unknown, method = 'POST') =>
      fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
        body: JSON.stringify(body),
      }).then(async (r) => {
        if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
        return r.json() as Promise<{ id: string | number }>;
      });
    const set = await post(`${alerting}/rule-sets`, {
      name: 'flappy',
      ruleSet: {
        version: 1,
        rules: [
          {
            id: 'flap-temp',
            sensor: 'temperature',
            severity: 'warning',
            kind: 'threshold',
            op: '>',
            value: 30,
          },
        ],
      },
    });
    await post(`${alerting}/rule-sets/${set.id}/assignments`, { devices: ['flappy-1'] }, 'PUT');
    await post(`${alerting}/webhooks`, { url: `http://127.0.0.1:${closed}/hook` });
    // The broker signs devices in with their own key.
    const device = await post(`${api}/devices`, { id: 'flappy-1', name: 'flapping sensor' });
    const mqtt: MqttClient = await connectAsync(`mqtt://127.0.0.1:${ports['MQTT_PORT']}`, {
      clientId: 'recorder-flappy',
      username: 'flappy-1',
      password: (device as unknown as { apiKey: string }).apiKey,
    });
    let seq = 0;
    const timer = setInterval(() => {
      const value = 30 + (seq % 2 === 0 ? 0.4 : -0.4) + (Math.random() - 0.5) * 0.2;
      void mqtt.publishAsync(
        'env/flappy-1/temperature/raw',
        JSON.stringify({ value: Math.round(value * 100) / 100, ts: Date.now(), seq: seq++ }),
        { qos: 1 },
      );
    }, 3_000);
    await sleep(100_000);
    await capture(
      {
        name: 'recorded-flapping-failing-webhook',
        description:
          'flappy-1 temperature alternates around its plain "> 30" threshold every 3 s; the one webhook points at a closed port.',
        fault: 'a flapping sensor and a failing webhook',
        expect: [
          {
            detector: 'flapping-rule',
            subject: 'flappy-1/temperature/flap-temp',
            evidence: ['flap_readings'],
          },
          { detector: 'webhook-failing', evidence: ['webhook_attempts'] },
        ],
        allow: ['alarm-storm'],
        question: 'Why does flappy-1 keep raising alarms?',
      },
      'r06-recorded-flapping-failing-webhook.json',
    );
    clearInterval(timer);
    await mqtt.endAsync();
  } finally {
    await advisor.close();
    stack.kill('SIGTERM');
    await new Promise((r) => stack.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
    say(`wrote ${written.join(', ')}`);
  }
}

main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
