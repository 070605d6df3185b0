/**
 * The MQTT ingestion phase of `api:bench`: real mqtt.js publishers (QoS 1, batches of readings
 * as docs/device-protocol.md allows) through the embedded broker and the api, each its own
 * process as `npm start` runs them, into PostgreSQL. A reading counts when the api's commit
 * ack for it (env/{id}/ack) is back at its publisher, as an edge's outbox would trim it; each
 * device keeps a bounded window of unacknowledged readings, as the edge does. Afterwards the
 * rows are counted in PostgreSQL, and the api's peak RSS is its VmHWM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAck, topics } from '@iotmon/domain';
import { connectMqtt, serviceUsername, whenConnected } from '@iotmon/messaging';
import { stopChild } from '@iotmon/testing';
import type { MqttClient } from 'mqtt';

export interface MqttIngestOptions {
  databaseUrl: string;
  /** PostgreSQL's data directory (its postmaster.pid), to count the server's CPU time. */
  pgDataDir: string;
  /** Fresh ports for the broker (MQTT, WebSocket) and the api. */
  ports: [number, number, number];
  devices: number;
  /** Readings per device (sent in order, seq 1..n). */
  perDevice: number;
  /** Readings per MQTT message. */
  batch: number;
  /** Unacknowledged messages per device at most (the edge bounds its in-flight items too). */
  window: number;
  /** Publisher connections (devices are spread over them). */
  publishers: number;
  t0: number;
  /** The api's extra environment (WRITER_CONCURRENCY, DB_POOL_SIZE …). */
  apiEnv?: Record<string, string>;
}

export interface MqttIngestResult {
  readings: number;
  seconds: number;
  perS: number;
  apiPeakRssMb: number;
  /** Ack messages the publishers received. */
  acks: number;
  /** CPU seconds per wall second during the run, by process (1 = one core busy). */
  cpu: Record<'api' | 'broker' | 'postgres' | 'publishers', number>;
  /** The api's resident set when it was ready, before any load. */
  apiIdleRssMb: number;
}

const TICK = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

/** utime + stime of a process (and, with `children`, of the processes it started), in s. */
function cpuSeconds(pid: number, children = false): number {
  const stat = (p: number | string) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / TICK };
    } catch {
      return undefined; // gone meanwhile
    }
  };
  let total = stat(pid)?.cpu ?? 0;
  if (children)
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const s = stat(name);
      if (s && s.ppid === pid) total += s.cpu;
    }
  return total;
}

const PASSWORDS = {
  api: 'bench-api-password-0123',
  alerting: 'bench-alerting-password-0123',
  'edge-fleet': 'bench-fleet-password-0123',
};

/** A child process whose output is kept, started when `ready` shows in it. */
async function startChild(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeFlags: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeFlags, script], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // BENCH_LOG_DIR=/tmp/x: each child's whole output to <dir>/<name>.log (with --trace-gc …).
  const logDir = process.env['BENCH_LOG_DIR'];
  if (logDir) {
    const file = createWriteStream(join(logDir, `${name}.log`));
    child.stdout!.pipe(file);
    child.stderr!.pipe(file);
  }
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (ready.test(out)) {
        clearInterval(t);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(t);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${out}`));
    });
  });
  child.removeAllListeners('exit');
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      console.error(`${name} exited (${signal ?? code}):\n${out.slice(-4_000)}`);
  });
  return child;
}

/** kB of a /proc/<pid>/status field (VmHWM: peak resident set; VmRSS: now). */
function procKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return m ? Number(m[1]) : 0;
}

/** One message: readings `from`..`from + n - 1` of a device, as JSON (one reading per ms). */
function payload(from: number, n: number, t0: number): Buffer {
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const seq = from + i;
    parts[i] = `{"value":${20 + (seq % 100) / 10},"ts":${t0 + seq},"seq":${seq}}`;
  }
  return Buffer.from(`[${parts.join(',')}]`);
}

interface Device {
  id: string;
  /** Next seq to send. */
  next: number;
  /** Messages sent and not fully acknowledged. */
  inFlight: number;
  /** Acknowledged seqs (index = seq), to count each once. */
  acked: Uint8Array;
  ackedCount: number;
  /** Messages by their first seq, pre-encoded before the clock starts. */
  messages: Map<number, Buffer>;
  /** Index of its publisher connection. */
  publisher: number;
}

export async function runMqttIngest(o: MqttIngestOptions): Promise<MqttIngestResult> {
  const [mqttPort, wsPort, apiPort] = o.ports;
  const dist = join(__dirname, '../../..'); // the tree run-ts.mjs compiled
  const broker = await startChild(
    'broker',
    join(dist, 'tools/stack/broker.js'),
    {
      DATABASE_URL: o.databaseUrl,
      MQTT_PASSWORD_API: PASSWORDS.api,
      MQTT_PASSWORD_ALERTING: PASSWORDS.alerting,
      MQTT_PASSWORD_EDGE_FLEET: PASSWORDS['edge-fleet'],
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      MQTT_WS_PORT: String(wsPort),
    },
    /broker ready/,
  );
  const url = `mqtt://127.0.0.1:${mqttPort}`;
  let api: ChildProcess | undefined;
  const clients: MqttClient[] = [];
  try {
    api = await startChild(
      'api',
      join(dist, 'apps/api/src/main.js'),
      {
        DATABASE_URL: o.databaseUrl,
        MQTT_URL: url,
        MQTT_USERNAME: serviceUsername('api'),
        MQTT_PASSWORD: PASSWORDS.api,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        POD_NAME: 'bench',
        NODE_NAME: 'bench',
        ...o.apiEnv,
      },
      /api listening/,
      // BENCH_API_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof': profile the api's run.
      (process.env['BENCH_API_NODE_FLAGS'] ?? '').split(' ').filter(Boolean),
    );
    const apiPid = api.pid!;

    const devices: Device[] = Array.from({ length: o.devices }, (_, d) => {
      const messages = new Map<number, Buffer>();
      for (let from = 1; from <= o.perDevice; from += o.batch)
        messages.set(from, payload(from, Math.min(o.batch, o.perDevice - from + 1), o.t0));
      return {
        id: `mq-${String(d).padStart(4, '0')}`,
        next: 1,
        inFlight: 0,
        acked: new Uint8Array(o.perDevice + 1),
        ackedCount: 0,
        messages,
        publisher: d % o.publishers,
      };
    });
    const byId = new Map(devices.map((d) => [d.id, d]));
    const total = o.devices * o.perDevice;
    let ackedTotal = 0;
    let acks = 0;
    let finished!: () => void;
    const allAcked = new Promise<void>((r) => (finished = r));

    const pump = (d: Device) => {
      const client = clients[d.publisher];
      while (d.inFlight < o.window && d.next <= o.perDevice) {
        const body = d.messages.get(d.next)!;
        d.messages.delete(d.next);
        d.next += o.batch;
        d.inFlight++;
        client.publish(`env/${d.id}/temperature/raw`, body, { qos: 1 });
      }
    };
    for (let p = 0; p < o.publishers; p++) {
      const client = connectMqtt(url, {
        clientId: `bench-pub-${p}`,
        username: serviceUsername('edge-fleet'),
        password: PASSWORDS['edge-fleet'],
      });
      clients.push(client);
    }
    await Promise.all(clients.map((c) => whenConnected(c)));
    await Promise.all(
      devices.map((d) => clients[d.publisher].subscribeAsync(topics.ack(d.id), { qos: 1 })),
    );
    clients.forEach((client) =>
      client.on('message', (topic, body) => {
        const d = byId.get(topic.split('/')[1]);
        const ranges = decodeAck(body)?.raw?.temperature;
        if (!d || !ranges) return;
        acks++;
        const before = d.ackedCount;
        for (const [a, b] of ranges)
          for (let s = a; s <= b; s++)
            if (!d.acked[s]) {
              d.acked[s] = 1;
              d.ackedCount++;
            }
        ackedTotal += d.ackedCount - before;
        // A message is done when its last seq is acknowledged (readings commit in order).
        const doneMessages = Math.floor(d.ackedCount / o.batch);
        const sentMessages = Math.ceil((d.next - 1) / o.batch);
        d.inFlight = sentMessages - doneMessages;
        pump(d);
        if (ackedTotal >= total) finished();
      }),
    );

    const postmaster = Number(
      readFileSync(join(o.pgDataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const apiIdleRssMb = procKb(apiPid, 'VmRSS') / 1024;
    const cpuNow = () => ({
      api: cpuSeconds(apiPid),
      broker: cpuSeconds(broker.pid!),
      postgres: cpuSeconds(postmaster, true),
      publishers: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    });
    const cpuStart = cpuNow();
    const started = performance.now();
    devices.forEach(pump);
    let lastLog = started;
    const progress = setInterval(() => {
      const now = performance.now();
      if (now - lastLog >= 5_000) {
        lastLog = now;
        console.log(
          `  mqtt: ${ackedTotal}/${total} acknowledged, api rss ${Math.round(procKb(apiPid, 'VmRSS') / 1024)} MB`,
        );
      }
    }, 500);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`only ${ackedTotal}/${total} readings acknowledged in 300 s`)),
        300_000,
      ).unref(),
    );
    try {
      await Promise.race([allAcked, timeout]);
    } finally {
      clearInterval(progress);
    }
    const seconds = (performance.now() - started) / 1000;
    const apiPeakRssMb = procKb(apiPid, 'VmHWM') / 1024;
    // Where the api's memory is at the end (V8 heap vs. buffers outside it), for the write-up.
    const metrics = await fetch(`http://127.0.0.1:${apiPort}/metrics`).then((r) => r.text());
    const mb = (name: string) =>
      (
        Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(metrics)?.[1]) /
        2 ** 20
      ).toFixed(0);
    console.log(
      `  api memory at the end: rss ${mb('process_resident_memory_bytes')} MB, heap total ${mb('nodejs_heap_size_total_bytes')} MB, heap used ${mb('nodejs_heap_size_used_bytes')} MB, external ${mb('nodejs_external_memory_bytes')} MB`,
    );
    const cpuEnd = cpuNow();
    const cpu = Object.fromEntries(
      Object.entries(cpuEnd).map(([k, v]) => [
        k,
        (v - cpuStart[k as keyof typeof cpuEnd]) / seconds,
      ]),
    ) as MqttIngestResult['cpu'];
    return {
      readings: total,
      seconds,
      perS: total / seconds,
      apiPeakRssMb,
      apiIdleRssMb,
      acks,
      cpu,
    };
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    if (api) await stopChild(api);
    await stopChild(broker);
  }
}
