/**
 * Starts the whole stack with `node tools/start.mjs` on free ports and a throw-away data
 * directory, waits for its `ready` line, and stops it with SIGTERM (SIGKILL after a grace).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './free-port';

export interface Stack {
  apiUrl: string;
  mqttUrl: string;
  /** The edge-fleet service's broker login, which may publish for any device. */
  fleetLogin(): { username: string; password: string };
  stop(): Promise<void>;
}

export interface StackOptions {
  root: string;
  dataDir: string;
  adminKey: string;
  logFile: string;
  readyTimeoutMs?: number;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const ports = {
    API_PORT: await freePort(),
    ALERTING_PORT: await freePort(),
    MQTT_PORT: await freePort(),
    MQTT_WS_PORT: await freePort(),
    PG_PORT: await freePort(),
    EDGE_HTTP_PORT: await freePort(),
    ADVISOR_PORT: await freePort(),
  };
  const log = createWriteStream(opts.logFile);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: opts.dataDir,
    ADMIN_API_KEY: opts.adminKey,
  };
  for (const [k, v] of Object.entries(ports)) env[k] = String(v);
  // Our own stack, not one the caller may have configured for something else.
  delete env['DATABASE_URL'];
  delete env['MQTT_URL'];
  const child = spawn(process.execPath, ['tools/start.mjs'], {
    cwd: opts.root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`stack not ready within ${(opts.readyTimeoutMs ?? 180_000) / 1000} s`)),
      opts.readyTimeoutMs ?? 180_000,
    );
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        log.write(`${line}\n`);
        tail.push(line);
        if (tail.length > 30) tail.shift();
        if (/^\S*\[stack\]\S* ready/.test(line)) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `stack exited (${signal ?? `code ${code}`}) before it was ready; last lines:\n${tail.join('\n')}`,
        ),
      );
    });
  });
  const stop = () => stopChild(child).finally(() => log.end());
  try {
    await ready;
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    apiUrl: `http://127.0.0.1:${ports.API_PORT}`,
    mqttUrl: `mqtt://127.0.0.1:${ports.MQTT_PORT}`,
    fleetLogin: () => ({
      username: 'svc:edge-fleet',
      password: (
        JSON.parse(readFileSync(join(opts.dataDir, 'mqtt-services.json'), 'utf8')) as Record<
          string,
          string
        >
      )['edge-fleet'],
    }),
    stop,
  };
}

function stopChild(child: ChildProcess, graceMs = 60_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
