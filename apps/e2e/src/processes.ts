/** Real processes for e2e tests: Debian's Mosquitto and the compiled apps, with their output kept. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynsecConfig, type ServiceRole } from '@iotmon/messaging';
import { freePort, stopChild } from '@iotmon/testing';

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
  return {
    name,
    child,
    output: () => out,
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
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

export interface MosquittoAuth {
  /** username -> password, written with mosquitto_passwd. */
  users: Record<string, string>;
  /** Lines of a Mosquitto ACL file (`user …`, `topic read|write …`, `pattern …`). */
  acl: string[];
}

/**
 * Debian's Mosquitto on 127.0.0.1:`port`, no persistence (MQTT 3.1.1 and 5): anonymous, or
 * with a password file and an ACL file when `auth` is given.
 */
export function startMosquitto(port: number, auth?: MosquittoAuth): Proc & { cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'iotmon-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  const lines = [
    `listener ${port} 127.0.0.1`,
    'persistence false',
    'set_tcp_nodelay true',
    'log_type error',
    'log_type warning',
  ];
  if (auth) {
    const passwords = join(dir, 'passwords');
    for (const [i, [user, password]] of Object.entries(auth.users).entries()) {
      execFileSync('mosquitto_passwd', [
        ...(i === 0 ? ['-c'] : []),
        '-b',
        passwords,
        user,
        password,
      ]);
    }
    writeFileSync(join(dir, 'acl'), auth.acl.join('\n') + '\n');
    // Mosquitto reads these as its own user after dropping root.
    chmodSync(dir, 0o755);
    chmodSync(passwords, 0o644);
    lines.push(
      'allow_anonymous false',
      `password_file ${passwords}`,
      `acl_file ${join(dir, 'acl')}`,
    );
  } else {
    lines.push('allow_anonymous true');
  }
  writeFileSync(conf, lines.join('\n') + '\n');
  const proc = start('mosquitto', 'mosquitto', ['-c', conf]);
  return { ...proc, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

export interface MosquittoOptions {
  /** Plain MQTT port. */
  port: number;
  /** MQTT over TLS port, served with `cert` and `key`. */
  tls?: { port: number; cert: string; key: string };
  /** Passwords of the services; device accounts are added by the api over dynamic security. */
  services: Partial<Record<ServiceRole, string>>;
}

/**
 * Debian's Mosquitto on 127.0.0.1 (MQTT 3.1.1 and 5), no persistence, anonymous access off,
 * accounts and ACLs in its dynamic-security plugin, started from the same ACL table the
 * embedded broker enforces.
 */
export function startMosquittoDynsec(opts: MosquittoOptions): Proc & { cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'iotmon-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  const dynsec = join(dir, 'dynamic-security.json');
  writeFileSync(dynsec, JSON.stringify(dynsecConfig(opts.services), null, 2));
  const lines = [
    'per_listener_settings false',
    'allow_anonymous false',
    `plugin ${DYNSEC_PLUGIN}`,
    `plugin_opt_config_file ${dynsec}`,
    'persistence false',
    'set_tcp_nodelay true',
    'log_type error',
    'log_type warning',
    `listener ${opts.port} 127.0.0.1`,
  ];
  if (opts.tls) {
    writeFileSync(join(dir, 'server.pem'), opts.tls.cert);
    writeFileSync(join(dir, 'server-key.pem'), opts.tls.key);
    lines.push(
      `listener ${opts.tls.port} 127.0.0.1`,
      `certfile ${join(dir, 'server.pem')}`,
      `keyfile ${join(dir, 'server-key.pem')}`,
    );
  }
  writeFileSync(conf, lines.join('\n') + '\n');
  // Started as root, Mosquitto drops to its own user, which must read the files and save the
  // dynamic-security file (it writes a new one next to it).
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'mosquitto']).toString());
    const gid = Number(execFileSync('id', ['-g', 'mosquitto']).toString());
    for (const f of [dir, ...readdirSync(dir).map((n) => join(dir, n))]) chownSync(f, uid, gid);
  }
  const proc = start('mosquitto', 'mosquitto', ['-c', conf]);
  return { ...proc, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
/** `npm start` (tools/start.mjs) on free ports with a throw-away data dir, until it is ready. */
export async function startLocalStack(
  env: NodeJS.ProcessEnv,
  readyTimeoutMs = 180_000,
): Promise<Proc & { apiUrl: string; cleanup(): void }> {
  const ports: Record<string, number> = {};
  for (const name of [
    'API_PORT',
    'ALERTING_PORT',
    'MQTT_PORT',
    'MQTT_WS_PORT',
    'PG_PORT',
    'ADVISOR_PORT',
  ]) {
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
