/** Real processes for e2e tests: Debian's Mosquitto and the compiled apps, with their output kept. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
