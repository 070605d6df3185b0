/** Starts the whole system (tools/start.mjs) on free ports in a temporary data directory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, stopChild } from '@iotmon/testing';

export const WORKSPACE = join(__dirname, '../../../..');

export interface Stack {
  apiUrl: string;
  alertingUrl: string;
  advisorUrl: string;
  mqttUrl: string;
  /** The stack's ADMIN_API_KEY (random per run). */
  adminKey: string;
  /** The first admin user's password (ADMIN_PASSWORD, random per run); the user is `admin`. */
  adminPassword: string;
  /** The MQTT login of a device the stack registered (its key is kept in the data directory). */
  deviceLogin(id: string): { username: string; password: string };
  /** The last lines the stack printed, for failure messages. */
  log: string[];
  stop(): Promise<void>;
}

/** Resolves once the stack prints `ready:`; rejects if it exits first or takes too long. */
/** `env`: more settings for every process (say SENSORS for the edge, ADVISOR=0). */
export async function startStack(
  readyTimeoutMs = 150_000,
  env: Record<string, string> = {},
): Promise<Stack> {
  const [api, alerting, mqtt, mqttWs, pg, edgeHttp, advisor] = await Promise.all(
    Array.from({ length: 7 }, () => freePort()),
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'iotmon-dashboard-e2e-'));
  chmodSync(dataDir, 0o755); // initdb runs as the postgres user when we are root
  const log: string[] = [];
  const adminKey = randomBytes(24).toString('hex');
  const adminPassword = randomBytes(12).toString('base64url');
  const child: ChildProcess = spawn(process.execPath, ['tools/start.mjs'], {
    cwd: WORKSPACE,
    env: {
      ...process.env,
      API_PORT: String(api),
      ALERTING_PORT: String(alerting),
      MQTT_PORT: String(mqtt),
      MQTT_WS_PORT: String(mqttWs),
      PG_PORT: String(pg),
      EDGE_HTTP_PORT: String(edgeHttp),
      ADVISOR_PORT: String(advisor),
      DATA_DIR: dataDir,
      OUTBOX_DIR: join(dataDir, 'outbox'),
      SENSOR_INTERVAL_MS: '500',
      ADMIN_API_KEY: adminKey,
      ADMIN_PASSWORD: adminPassword,
      // Access tokens of 10 s (the shortest allowed): the pages must renew their session from
      // the refresh cookie again and again during the suite, or their calls fail.
      AUTH_ACCESS_TTL_SECONDS: '10',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`stack not ready in ${readyTimeoutMs} ms:\n${log.join('\n')}`)),
      readyTimeoutMs,
    );
    for (const s of [child.stdout!, child.stderr!]) {
      createInterface({ input: s }).on('line', (line) => {
        log.push(line);
        if (log.length > 300) log.shift();
        if (/\[stack\] ready:/.test(line)) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited (${code}) before ready:\n${log.join('\n')}`));
    });
  });
  const stop = async () => {
    await stopChild(child, 'SIGTERM', 45_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    apiUrl: `http://127.0.0.1:${api}`,
    alertingUrl: `http://127.0.0.1:${alerting}`,
    mqttUrl: `mqtt://127.0.0.1:${mqtt}`,
    advisorUrl: `http://127.0.0.1:${advisor}`,
    adminKey,
    adminPassword,
    deviceLogin: (id) => ({
      username: id,
      password: readFileSync(join(dataDir, 'devices', `${id}.key`), 'utf8').trim(),
    }),
    log,
    stop,
  };
}
