/**
 * Fleet benchmark: the edge in fleet mode (1,000 nodes x 4 sensors at 1 Hz by default) as its
 * own process against the embedded broker in this one. Measures, over the run after every
 * node is online: publish rate (edge counter, and messages the broker delivered to a
 * subscriber here), CPU of the edge process (/proc, user+system, % of one core) and its peak
 * RSS (VmHWM). Last line: `fleet_msgs_per_s=<n> edge_cpu_pct=<n> edge_rss_mb=<n>`.
 *
 * Env: BENCH_NODES (1000), BENCH_SENSORS (4), BENCH_INTERVAL_MS (1000), BENCH_SECONDS (60),
 * BENCH_EDGE_NODE_FLAGS (node flags of the edge process, default --max-old-space-size=128).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeEvent,
  decodeReadings,
  ENVIRONMENTAL_SENSORS,
  parseTopic,
  SENSOR_KINDS,
} from '@iotmon/domain';
import {
  CommitAckPublisher,
  generateServicePasswords,
  serviceUsername,
  startEmbeddedBroker,
} from '@iotmon/messaging';
import { connectAsync } from 'mqtt';

if (process.argv.includes('--help')) {
  console.log(
    'usage: nx run edge:bench  (env BENCH_NODES, BENCH_SENSORS, BENCH_INTERVAL_MS, BENCH_SECONDS)',
  );
  process.exit(0);
}

const nodes = Number(process.env['BENCH_NODES'] ?? 1000);
const sensorCount = Number(process.env['BENCH_SENSORS'] ?? 4);
const intervalMs = Number(process.env['BENCH_INTERVAL_MS'] ?? 1000);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 60);
/**
 * Node flags of the edge process. A heap cap makes V8 collect before it grows the heap: the
 * live set of 1,000 nodes is ~60 MB, and uncapped V8 lets garbage push RSS past 200 MB.
 */
const nodeFlags = (process.env['BENCH_EDGE_NODE_FLAGS'] ?? '--max-old-space-size=128')
  .split(' ')
  .filter(Boolean);
/** Clock ticks per second of /proc CPU times (Linux USER_HZ, `getconf CLK_TCK`). */
const ticks = 100;

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(name)) sum += Number(line.split(' ').pop());
  return sum;
}

async function main(): Promise<void> {
  // Fleet mode signs in as the edge-fleet service; no device keys are needed.
  const services = generateServicePasswords();
  const broker = await startEmbeddedBroker({ port: 0, access: { services } });
  const sub = await connectAsync(broker.url, {
    clientId: 'bench-sub',
    username: serviceUsername('alerting'),
    password: services.alerting,
  });
  let delivered = 0;
  let online = 0;
  // The subscriber stands in for the server: it sends the commit acks that trim the outboxes.
  const acks = new CommitAckPublisher(sub, 200);
  sub.on('message', (topic, payload) => {
    if (topic.endsWith('/status')) {
      if (payload.toString().includes('"online"')) online++;
      return;
    }
    delivered++;
    const t = parseTopic(topic);
    if (t?.kind === 'raw') acks.readings(decodeReadings(payload, t).readings);
    else if (t?.kind === 'event') {
      const d = decodeEvent(payload, t);
      if ('event' in d) acks.events([d.event]);
    }
  });
  await sub.subscribeAsync(['env/+/+/raw', 'env/+/event/+', 'env/+/status'], { qos: 0 });

  const sensors = [
    ...ENVIRONMENTAL_SENSORS,
    ...SENSOR_KINDS.filter((k) => !ENVIRONMENTAL_SENSORS.includes(k)),
  ]
    .slice(0, sensorCount)
    .join(',');
  const root = join(__dirname, '../../../../..'); // from tmp/run-ts/apps/edge/bench
  const edge = spawn(process.execPath, [...nodeFlags, join(__dirname, '../src/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      MQTT_URL: broker.url,
      MQTT_USERNAME: serviceUsername('edge-fleet'),
      MQTT_PASSWORD: services['edge-fleet'],
      NODE_ID: 'bench',
      FLEET_NODES: String(nodes),
      SENSORS: sensors,
      SENSOR_INTERVAL_MS: String(intervalMs),
      RAW_QOS: '0',
      OUTBOX_DIR: 'none',
      HEARTBEAT_MS: '0',
      EDGE_HTTP_PORT: '0',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    edge.stdout!.on('data', (chunk: Buffer) => {
      const m = /http on port (\d+)/.exec(chunk.toString());
      if (m) resolve(Number(m[1]));
    });
    edge.once('exit', (code) => reject(new Error(`edge exited with ${code}`)));
  });
  const pid = edge.pid!;
  const t0 = Date.now();
  while (online < nodes) {
    if (Date.now() - t0 > 60_000)
      throw new Error(`only ${online}/${nodes} nodes online after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`${nodes} nodes online after ${Date.now() - t0} ms; measuring ${seconds} s`);
  // One period of warm-up so every sensor loop is running.
  await new Promise((r) => setTimeout(r, intervalMs + 500));

  const start = {
    at: Date.now(),
    cpu: cpuTicks(pid),
    published: await metric(port, 'edge_published_messages_total'),
    delivered,
  };
  for (let done = 0; done < seconds;) {
    const step = Math.min(10, seconds - done);
    await new Promise((r) => setTimeout(r, step * 1000));
    done += step;
    const el = (Date.now() - start.at) / 1000;
    console.log(
      `t=${Math.round(el)}s published ${Math.round(((await metric(port, 'edge_published_messages_total')) - start.published) / el)}/s delivered ${Math.round((delivered - start.delivered) / el)}/s cpu ${(((cpuTicks(pid) - start.cpu) / ticks / el) * 100).toFixed(1)}% rss_peak ${peakRssMb(pid).toFixed(0)} MB`,
    );
  }
  const elapsed = (Date.now() - start.at) / 1000;
  const published = (await metric(port, 'edge_published_messages_total')) - start.published;
  const cpuPct = ((cpuTicks(pid) - start.cpu) / ticks / elapsed) * 100;
  const rss = peakRssMb(pid);
  const deliveredRate = (delivered - start.delivered) / elapsed;
  edge.kill('SIGTERM');
  await new Promise((r) => edge.once('exit', r));
  await sub.endAsync(true);
  await broker.close();
  const rate = published / elapsed;
  console.log(
    `target ${nodes * sensorCount * (1000 / intervalMs)} msg/s; delivered to a subscriber ${Math.round(deliveredRate)} msg/s`,
  );
  console.log(
    `fleet_msgs_per_s=${Math.round(rate)} edge_cpu_pct=${cpuPct.toFixed(1)} edge_rss_mb=${rss.toFixed(0)}`,
  );
}

main().catch((e: Error) => {
  console.error(`bench failed: ${e.message}`);
  process.exit(1);
});
