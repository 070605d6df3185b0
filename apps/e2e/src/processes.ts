/** Real processes for e2e tests: Debian's Mosquitto and the compiled apps, with their output kept. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@iotmon/testing';

export const root = join(__dirname, '../../..');

export interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function start(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Proc {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    name,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Compiles the workspace into a private directory; returns a function to run an app from it. */
export function compileApps(): { dir: string; app: (name: string) => string; cleanup(): void } {
  const dir = join('tmp', `e2e-${process.pid}`);
  execFileSync(process.execPath, ['tools/compile.mjs', '--out', dir], { cwd: root });
  return {
    dir,
    app: (name) => join(root, dir, `apps/${name}/src/main.js`),
    cleanup: () => rmSync(join(root, dir), { recursive: true, force: true }),
  };
}

export function mosquittoAvailable(): boolean {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // `mosquitto -h` exits 3 after printing its help: the binary is there.
    return (e as { status?: number }).status === 3;
  }
}

/** Debian's Mosquitto on 127.0.0.1:`port`, anonymous, no persistence (MQTT 3.1.1 and 5). */
export function startMosquitto(port: number): Proc & { cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'iotmon-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'set_tcp_nodelay true',
      'log_type error',
      'log_type warning',
    ].join('\n') + '\n',
  );
  const proc = start('mosquitto', 'mosquitto', ['-c', conf]);
  return { ...proc, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `npm start` (tools/start.mjs) on free ports with a throw-away data dir, until it is ready. */
export async function startLocalStack(
  env: NodeJS.ProcessEnv,
  readyTimeoutMs = 180_000,
): Promise<Proc & { apiUrl: string; cleanup(): void }> {
  const ports: Record<string, number> = {};
  for (const name of ['API_PORT', 'ALERTING_PORT', 'MQTT_PORT', 'MQTT_WS_PORT', 'PG_PORT']) {
    ports[name] = await freePort();
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'iotmon-stack-'));
  // Embedded PostgreSQL drops root for its own user, which must reach the directory.
  chmodSync(dataDir, 0o755);
  const proc = start('stack', process.execPath, ['tools/start.mjs'], {
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    MQTT_URL: '',
    ...env,
  });
  const deadline = Date.now() + readyTimeoutMs;
  while (!/\[stack\]\S* ready/.test(proc.output())) {
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      await proc.stop();
      throw new Error(`npm start did not become ready:\n${proc.output().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    ...proc,
    apiUrl: `http://127.0.0.1:${ports['API_PORT']}`,
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
