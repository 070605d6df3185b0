/**
 * `npx nx run alerting:bench`: simulated edges publish 1,000 constraint transitions/s for
 * 30 s through a real broker to the alerting service (its own process) on its own embedded
 * PostgreSQL; a local webhook receiver and an SSE client measure the latency from each
 * edge publish to the webhook request and to the live push. The last line is
 * `event_to_webhook_p99_ms=<n> event_to_push_p99_ms=<n> duplicates=<n>`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { encodeEvent, topics, type ConstraintEvent } from '@iotmon/domain';
import {
  connectMqtt,
  generateServicePasswords,
  serviceUsername,
  whenConnected,
} from '@iotmon/messaging';
import { runMigrations } from '@iotmon/persistence';
import { freePort, stopChild, waitFor } from '@iotmon/testing';
import type { MqttClient } from 'mqtt';
import { Client } from 'pg';
import type { WebhookBody } from '../src/notifications/notification-outbox';
import type { AlarmChangeEvent } from '../src/alarms/alarm-view';
import { connectSse } from '../src/test-support/sse-client';
import { startWebhookReceiver } from '../src/test-support/webhook-receiver';
import { gaugeOf, histogramOf, quantile, type Histogram } from './prom-histograms';

const HELP = `usage: npx nx run alerting:bench [-- --rate N --seconds S --warmup W --devices D --edges E --replicas R]
  --rate      transitions per second (default 1000)
  --seconds   measured load duration (default 30)
  --warmup    seconds of the same load before the measured part, reported apart (default 5;
              0 for none)
  --devices   simulated devices; each alternates raise / clear (default 200)
  --edges     MQTT connections the devices are spread over (default 10)
  --replicas  alerting processes on the same broker and database (default 1)`;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0 || (v === 0 && name !== 'warmup'))
    throw new Error(`--${name} must be a positive number`);
  return v;
}

/** The compiled tree run-ts.mjs made (tmp/run-ts/, benches included) and the workspace root. */
const dist = join(__dirname, '../../..');
const root = join(dist, '../..');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(name: string, xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(2);
  return `${name}: n=${s.length} p50=${f(percentile(s, 50))} p90=${f(percentile(s, 90))} p99=${f(percentile(s, 99))} max=${f(s[s.length - 1])} ms`;
}

/**
 * Where the time goes inside alerting, from its own Prometheus histograms (scraped from each
 * replica's /metrics at the end of the load): the wait for a batch (`queue`), the batch
 * statement (`commit`), batch sizes, evaluation → commit, commit → live push and commit →
 * webhook 2xx; GC time and event-loop delay from the process metrics.
 */
async function printStages(bases: string[]): Promise<void> {
  const ms = (s: number) => (s * 1000).toFixed(2);
  const line = (label: string, h: Histogram, unit = 'ms') =>
    `${label} n=${h.count} p50=${unit === 'ms' ? ms(quantile(h, 0.5)) : quantile(h, 0.5).toFixed(0)} p99=${unit === 'ms' ? ms(quantile(h, 0.99)) : quantile(h, 0.99).toFixed(0)}${unit === 'ms' ? ' ms' : ''}`;
  console.log('stages (from the alerting histograms; p50/p99 interpolated within buckets):');
  for (const [i, base] of bases.entries()) {
    const text = await fetch(`${base}/metrics`).then((r) => r.text());
    const stage = (s: string) => histogramOf(text, 'alerting_stage_seconds', { stage: s });
    console.log(
      `  alerting-${i}: ${[
        line('queue', stage('queue')),
        line('commit', stage('commit')),
        line('batch size', histogramOf(text, 'alerting_transition_batch_size'), 'n'),
      ].join('; ')}`,
    );
    console.log(
      `  alerting-${i}: ${[
        line('edge->commit', histogramOf(text, 'alerting_edge_to_alarm_seconds')),
        line('commit->push', histogramOf(text, 'alerting_alarm_to_push_seconds')),
        line('commit->webhook', histogramOf(text, 'alerting_alarm_to_webhook_seconds')),
      ].join('; ')}`,
    );
    const gc = histogramOf(text, 'nodejs_gc_duration_seconds');
    const lag = (q: string) => ms(gaugeOf(text, `nodejs_eventloop_lag_${q}_seconds`) ?? NaN);
    console.log(
      `  alerting-${i}: gc n=${gc.count} total=${ms(gc.sum)} ms; event loop delay p50=${lag('p50')} p99=${lag('p99')} max=${lag('max')} ms`,
    );
  }
}

/** CPU seconds used so far by `pid` and all its descendants (Linux /proc; 0 elsewhere). */
function treeCpuSeconds(pid: number): number {
  const tick = 100; // USER_HZ
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / tick });
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    total += stats.get(p)?.cpu ?? 0;
    for (const [child, s] of stats) if (s.ppid === p) todo.push(child);
  }
  return total;
}

/** Starts a child and resolves with the regex match of its first line that matches `ready`. */
function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  name: string,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${name} exited with ${code} before it was ready`)),
    );
    for (const s of [child.stdout!, child.stderr!]) {
      createInterface({ input: s }).on('line', (line) => {
        const m = line.match(ready);
        if (m) resolve({ child, match: m });
        else if (/error|fail/i.test(line)) console.error(`[${name}] ${line}`);
      });
    }
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(HELP);
    return;
  }
  const rate = arg('rate', 1000);
  const seconds = arg('seconds', 30);
  const warmup = arg('warmup', 5);
  const devices = arg('devices', 200);
  const edges = arg('edges', 10);
  const replicas = arg('replicas', 1);
  const workDir = mkdtempSync(join(tmpdir(), 'alerting-bench-'));
  chmodSync(workDir, 0o755); // initdb runs as the postgres user when we are root
  const children: ChildProcess[] = [];
  let pg: ChildProcess | undefined;
  try {
    const pgPort = await freePort();
    const started = await startChild(
      [join(root, 'tools/stack/postgres.mjs')],
      { ...process.env, PG_PORT: String(pgPort), PG_DATA_DIR: join(workDir, 'pg') },
      /postgres ready (\S+)/,
      'postgres',
    );
    pg = started.child;
    const dbUrl = started.match[1];
    await runMigrations(dbUrl);
    const mqttPort = await freePort();
    // The broker process as npm start runs it: every client signs in.
    const passwords = generateServicePasswords();
    const brokerChild = await startChild(
      [join(dist, 'tools/stack/broker.js')],
      {
        ...process.env,
        DATABASE_URL: dbUrl,
        MQTT_PORT: String(mqttPort),
        MQTT_WS_PORT: String(await freePort()),
        MQTT_PASSWORD_ALERTING: passwords.alerting,
        MQTT_PASSWORD_EDGE_FLEET: passwords['edge-fleet'],
      },
      /broker ready/,
      'broker',
    );
    children.push(brokerChild.child);
    const brokerUrl = `mqtt://127.0.0.1:${mqttPort}`;
    const env = {
      ...process.env,
      DATABASE_URL: dbUrl,
      MQTT_URL: brokerUrl,
      MQTT_USERNAME: serviceUsername('alerting'),
      MQTT_PASSWORD: passwords.alerting,
      NOTIFY_WINDOW_MS: '0',
      // The receiver is local plain HTTP, which the webhook target policy refuses by default.
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      LIVE_READINGS: 'false',
      SERVER_EVALUATION: 'false',
      HOST: '127.0.0.1',
    };
    const bases: string[] = [];
    for (let r = 0; r < replicas; r++) {
      const port = await freePort();
      const { child } = await startChild(
        ['--enable-source-maps', join(dist, 'apps/alerting/src/main.js')],
        { ...env, PORT: String(port) },
        /alerting listening/,
        `alerting-${r}`,
      );
      children.push(child);
      bases.push(`http://127.0.0.1:${port}`);
    }
    // Publish time per transition, keyed by device, event time and change.
    const sentAt = new Map<string, number>();
    // Transitions of the warm-up (the first `warmup` seconds of the same continuous load).
    const warmKeys = new Set<string>();
    const seenWebhook = new Set<string>();
    const seenPush = new Set<string>();
    // Epoch-based times (performance.timeOrigin + now) for the per-stage breakdown.
    const webhookAt = new Map<string, number>();
    const pushAt = new Map<string, number>();
    const epoch = (t: number) => performance.timeOrigin + t;
    let duplicates = 0;
    const key = (deviceId: string, eventTs: number | null, change: string) =>
      `${deviceId}|${eventTs}|${change}`;
    const receiver = await startWebhookReceiver(undefined, (r) => {
      const now = performance.now();
      const body = JSON.parse(r.body) as WebhookBody;
      const k = key(body.event.alarm.deviceId, body.event.eventTs, body.event.change);
      if (seenWebhook.has(k)) duplicates++;
      seenWebhook.add(k);
      if (!webhookAt.has(k)) webhookAt.set(k, epoch(now));
    });
    const sub = await fetch(`${bases[0]}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, secret: 'bench-secret-0123456789' }),
    });
    if (sub.status !== 201) throw new Error(`creating the webhook failed: ${sub.status}`);

    const pushClient = connectSse(`${bases[bases.length - 1]}/live?readings=false`, {}, (e) => {
      if (e.event !== 'alarm') return;
      const now = performance.now();
      const ev = JSON.parse(e.data) as AlarmChangeEvent;
      const k = key(ev.alarm.deviceId, ev.eventTs, ev.change);
      if (seenPush.has(k)) duplicates++;
      seenPush.add(k);
      if (!pushAt.has(k)) pushAt.set(k, epoch(now));
    });
    await pushClient.ready;
    const clients: MqttClient[] = [];
    for (let i = 0; i < edges; i++) {
      const c = connectMqtt(brokerUrl, {
        clientId: `bench-edge-${i}`,
        reconnectPeriod: 0,
        username: serviceUsername('edge-fleet'),
        password: passwords['edge-fleet'],
      });
      await whenConnected(c);
      clients.push(c);
    }
    const raised = new Array<boolean>(devices).fill(false);
    const lastTs = new Array<number>(devices).fill(0);
    const warmCount = Math.round(rate * warmup);
    const total = warmCount + Math.round(rate * seconds);
    const tickMs = 5;
    let sent = 0;
    let raises = 0;
    let next = 0;
    console.log(
      `bench: ${rate} transitions/s for ${warmup} s warm-up + ${seconds} s measured, ${devices} devices on ${edges} connections, ${replicas} alerting replica(s)`,
    );
    const cpuOf = () => ({
      bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
      broker: treeCpuSeconds(brokerChild.child.pid!),
      alerting: children.slice(1).reduce((sum, c) => sum + treeCpuSeconds(c.pid!), 0),
      postgres: treeCpuSeconds(pg!.pid!),
    });
    const cpuStart = cpuOf();
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
        for (; sent < due; sent++) {
          const d = next;
          next = (next + 1) % devices;
          const deviceId = `bench-${d}`;
          const ts = Math.max(Date.now(), lastTs[d] + 1);
          lastTs[d] = ts;
          raised[d] = !raised[d];
          if (raised[d]) raises++;
          const e: ConstraintEvent = {
            deviceId,
            sensor: 'temperature',
            ruleId: 'temperature_alert',
            state: raised[d] ? 'raised' : 'cleared',
            severity: 'warning',
            value: raised[d] ? 31 : 29,
            ts,
            message: 'bench',
          };
          const k = key(deviceId, ts, e.state);
          sentAt.set(k, performance.now());
          if (sent < warmCount) warmKeys.add(k);
          clients[d % edges].publish(topics.event(deviceId, 'temperature'), encodeEvent(e), {
            qos: 1,
          });
        }
        if (sent >= total) resolve();
        else setTimeout(tick, tickMs);
      };
      tick();
    });
    const loadS = (performance.now() - t0) / 1000;
    const cpuEnd = cpuOf();
    const share = (k: keyof typeof cpuEnd) =>
      `${k}=${(((cpuEnd[k] - cpuStart[k]) / loadS) * 100).toFixed(0)}%`;
    console.log(
      `cpu during load (% of one core): ${share('alerting')} ${share('postgres')} ${share('broker')} ${share('bench')}`,
    );
    console.log(
      `published ${sent} transitions in ${loadS.toFixed(1)} s (${(sent / loadS).toFixed(0)}/s)`,
    );
    await waitFor(() => seenWebhook.size >= sent && seenPush.size >= sent, {
      timeoutMs: 120_000,
      intervalMs: 100,
      what: 'every webhook and push',
    }).catch((e: Error) => console.error(e.message));
    pushClient.close();
    // Read before the replicas stop (the histograms live in their processes).
    await printStages(bases);
    await Promise.all(children.slice(1).map((c) => stopChild(c, 'SIGTERM', 10_000)));
    // Latencies of the measured part; the warm-up's are reported apart.
    const webhookMs: number[] = [];
    const pushMs: number[] = [];
    const warmWebhookMs: number[] = [];
    const warmPushMs: number[] = [];
    for (const [k, t] of sentAt) {
      const warm = warmKeys.has(k);
      const w = webhookAt.get(k);
      const p = pushAt.get(k);
      if (w !== undefined) (warm ? warmWebhookMs : webhookMs).push(w - epoch(t));
      if (p !== undefined) (warm ? warmPushMs : pushMs).push(p - epoch(t));
    }

    const db = new Client({ connectionString: dbUrl });
    await db.connect();
    const episodes = (await db.query(`SELECT count(*)::int AS n FROM alarms`)).rows[0].n as number;
    const deliveries = (
      await db.query(`SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status`)
    ).rows;
    await db.end();
    if (episodes > raises) duplicates += episodes - raises;
    console.log(`episodes=${episodes} raises=${raises} deliveries=${JSON.stringify(deliveries)}`);
    console.log(
      `webhooks received=${seenWebhook.size}/${sent}, pushes received=${seenPush.size}/${sent}`,
    );
    if (warmCount > 0) {
      console.log(
        `warm-up (first ${warmup} s, ${warmCount} transitions; not in the figures below):`,
      );
      console.log(`  ${summary('event -> webhook', warmWebhookMs)}`);
      console.log(`  ${summary('event -> push', warmPushMs)}`);
    }
    console.log(`measured (${seconds} s after the warm-up):`);
    console.log(summary('event -> webhook', webhookMs));
    console.log(summary('event -> push', pushMs));
    clients.forEach((c) => c.end(true));
    await receiver.close();
    const p99 = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        99,
      ).toFixed(1);
    const missing = 2 * sent - seenWebhook.size - seenPush.size;
    if (missing > 0) console.log(`missing=${missing}`);
    console.log(
      `event_to_webhook_p99_ms=${p99(webhookMs)} event_to_push_p99_ms=${p99(pushMs)} duplicates=${duplicates}`,
    );
  } finally {
    await Promise.all(children.map((c) => stopChild(c, 'SIGTERM', 10_000)));
    if (pg) await stopChild(pg, 'SIGTERM', 20_000);
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench failed: ${e.stack}`);
    process.exit(1);
  },
);
