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
import { connectMqtt, whenConnected } from '@iotmon/messaging';
import { runMigrations } from '@iotmon/persistence';
import { freePort, waitFor } from '@iotmon/testing';
import type { MqttClient } from 'mqtt';
import { Client } from 'pg';
import type { WebhookBody } from '../src/notifications/notification-outbox';
import type { AlarmChangeEvent } from '../src/alarms/alarm-view';
import { connectSse } from '../src/test-support/sse-client';
import { startWebhookReceiver } from '../src/test-support/webhook-receiver';

const HELP = `usage: npx nx run alerting:bench [-- --rate N --seconds S --devices D --edges E --replicas R]
  --rate      transitions per second (default 1000)
  --seconds   load duration (default 30)
  --devices   simulated devices; each alternates raise / clear (default 200)
  --edges     MQTT connections the devices are spread over (default 10)
  --replicas  alerting processes on the same broker and database (default 1)`;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

const root = join(__dirname, '../../../..');
const dist = join(root, 'dist');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(name: string, xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(2);
  return `${name}: n=${s.length} p50=${f(percentile(s, 50))} p90=${f(percentile(s, 90))} p99=${f(percentile(s, 99))} max=${f(s[s.length - 1])} ms`;
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

function stopChild(child: ChildProcess | undefined, timeoutMs = 15_000): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(HELP);
    return;
  }
  const rate = arg('rate', 1000);
  const seconds = arg('seconds', 30);
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
    const brokerChild = await startChild(
      [join(dist, 'tools/stack/broker.js')],
      { ...process.env, MQTT_PORT: String(mqttPort), MQTT_WS_PORT: String(await freePort()) },
      /broker ready/,
      'broker',
    );
    children.push(brokerChild.child);
    const brokerUrl = `mqtt://127.0.0.1:${mqttPort}`;
    const env = {
      ...process.env,
      DATABASE_URL: dbUrl,
      MQTT_URL: brokerUrl,
      NOTIFY_WINDOW_MS: '0',
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
    const webhookMs: number[] = [];
    const pushMs: number[] = [];
    const seenWebhook = new Set<string>();
    const seenPush = new Set<string>();
    let duplicates = 0;
    const key = (deviceId: string, eventTs: number | null, change: string) =>
      `${deviceId}|${eventTs}|${change}`;
    const receiver = await startWebhookReceiver(undefined, (r) => {
      const now = performance.now();
      const body = JSON.parse(r.body) as WebhookBody;
      const k = key(body.event.alarm.deviceId, body.event.eventTs, body.event.change);
      if (seenWebhook.has(k)) duplicates++;
      seenWebhook.add(k);
      const t = sentAt.get(k);
      if (t !== undefined) webhookMs.push(now - t);
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
      const t = sentAt.get(k);
      if (t !== undefined) pushMs.push(now - t);
    });
    await pushClient.ready;
    const clients: MqttClient[] = [];
    for (let i = 0; i < edges; i++) {
      const c = connectMqtt(brokerUrl, { clientId: `bench-edge-${i}`, reconnectPeriod: 0 });
      await whenConnected(c);
      clients.push(c);
    }
    const raised = new Array<boolean>(devices).fill(false);
    const lastTs = new Array<number>(devices).fill(0);
    const total = Math.round(rate * seconds);
    const tickMs = 5;
    let sent = 0;
    let raises = 0;
    let next = 0;
    console.log(
      `bench: ${rate} transitions/s for ${seconds} s, ${devices} devices on ${edges} connections, ${replicas} alerting replica(s)`,
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
          sentAt.set(key(deviceId, ts, e.state), performance.now());
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
    await Promise.all(children.map((c) => stopChild(c, 10_000)));
    await stopChild(pg, 20_000);
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
