/**
 * Test helpers: the edge as a real child process (compiled once per test file with swc) and
 * an MQTT recorder that decodes what the edge publishes and, like the server after a commit,
 * sends the commit acks for it (keeping each seq once, as the server's keys do).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  BUILT_IN_CATALOGUE,
  decodeEvent,
  decodePresence,
  decodeReadings,
  parseTopic,
  type ConstraintEvent,
  type PresencePayload,
  type Reading,
  type SensorCatalogue,
} from '@iotmon/domain';
import { CommitAckPublisher, type RegistryBroker } from '@iotmon/messaging';
import { issueDeviceKey } from '@iotmon/persistence';
import { connectAsync, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import { stopChild } from '@iotmon/testing';

export const root = join(__dirname, '../../../..');

/** Compiles the workspace into tmp/<name>; returns a cleanup function. */
export function compileEdge(name: string): { main: string; cleanup: () => void } {
  const outDir = `tmp/${name}-${process.pid}`;
  execFileSync(process.execPath, ['tools/compile.mjs', '--out', outDir], { cwd: root });
  return {
    main: join(root, outDir, 'apps/edge/src/main.js'),
    cleanup: () => rmSync(join(root, outDir), { recursive: true, force: true }),
  };
}

export class EdgeProcess {
  readonly output: string[] = [];
  readonly child: ChildProcess;
  private port: Promise<number>;

  constructor(main: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [main], {
      cwd: root,
      env: { ...process.env, EDGE_HTTP_PORT: '0', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.port = new Promise((resolve, reject) => {
      const onLine = (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          if (line) this.output.push(line);
          const m = /http on port (\d+)/.exec(line);
          if (m) resolve(Number(m[1]));
        }
      };
      this.child.stdout!.on('data', onLine);
      this.child.stderr!.on('data', onLine);
      this.child.once('exit', (code) =>
        reject(new Error(`edge exited (${code}): ${this.output.join('\n')}`)),
      );
    });
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${await this.port}${path}`);
    return (path === '/metrics' ? await res.text() : await res.json()) as T;
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    return stopChild(this.child, signal);
  }
}

/** Registers a device with a fresh key in the test database; returns the edge's MQTT env. */
export async function registerDevice(
  databaseUrl: string,
  deviceId: string,
): Promise<{ MQTT_USERNAME: string; MQTT_PASSWORD: string }> {
  const { key, hash } = issueDeviceKey();
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('INSERT INTO devices (id, name, api_key_hash) VALUES ($1, $1, $2)', [
      deviceId,
      hash,
    ]);
  } finally {
    await c.end();
  }
  return { MQTT_USERNAME: deviceId, MQTT_PASSWORD: key };
}

/** Subscribes (as the alerting service) to everything one node publishes, in arrival order. */
export class Recorder {
  readings: Reading[] = [];
  events: ConstraintEvent[] = [];
  presence: PresencePayload[] = [];
  /** Messages items that arrived again (a re-send after a lost ack or a reconnect). */
  duplicates = 0;
  client: MqttClient | undefined;
  /** The catalogue readings and events are decoded with (a test adding a kind sets it). */
  kinds: SensorCatalogue = BUILT_IN_CATALOGUE;
  private readonly seen = new Set<string>();

  async connect(
    broker: RegistryBroker,
    nodeId: string,
    clientId = `rec-${nodeId}-${Date.now()}`,
    commit = true,
  ): Promise<void> {
    const client = await connectAsync(broker.url, {
      clientId,
      reconnectPeriod: 0,
      ...broker.login('alerting'),
    });
    const acks = new CommitAckPublisher(client, 20);
    const once = (key: string) => {
      if (this.seen.has(key)) this.duplicates++;
      else this.seen.add(key);
      return this.seen.size;
    };
    client.on('message', (topic, payload) => {
      const t = parseTopic(topic);
      if (t?.kind === 'raw') {
        const { readings } = decodeReadings(payload, this.kinds, t);
        for (const r of readings) {
          const before = this.seen.size;
          if (r.seq === undefined || once(`${r.sensor}/${r.seq}`) > before) this.readings.push(r);
        }
        if (commit) acks.readings(readings);
      } else if (t?.kind === 'event') {
        const d = decodeEvent(payload, this.kinds, t);
        if (!('event' in d)) return;
        const before = this.seen.size;
        if (d.event.seq === undefined || once(`event/${d.event.seq}`) > before)
          this.events.push(d.event);
        if (commit) acks.events([d.event]);
      } else if (t?.kind === 'status') {
        const p = decodePresence(payload);
        if (p) this.presence.push(p);
      }
    });
    await client.subscribeAsync(
      [`env/${nodeId}/+/raw`, `env/${nodeId}/event/+`, `env/${nodeId}/status`],
      { qos: 1 },
    );
    this.client = client;
  }

  async close(): Promise<void> {
    await this.client?.endAsync(true);
    this.client = undefined;
  }
}
