/**
 * `npm start` as a user runs it (tools/start.mjs, embedded PostgreSQL and broker): a killed
 * api is started again within seconds while the rest keep running, and Ctrl-C (SIGINT)
 * stops every process it started, PostgreSQL included.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@iotmon/testing';
import { start, type Proc } from './processes';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `name started (pid N)` lines of the stack, in order. */
function pids(out: string, name: string): number[] {
  return [...out.matchAll(new RegExp(`\\[stack\\] ${name} started \\(pid (\\d+)\\)`, 'g'))].map(
    (m) => Number(m[1]),
  );
}

describe('npm start keeps the stack running', () => {
  let dataDir: string;
  let stack: Proc;
  let apiPort: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'iotmon-stack-'));
    // Embedded PostgreSQL runs initdb as the postgres user when we are root.
    chmodSync(dataDir, 0o755);
    apiPort = await freePort();
    stack = start('stack', process.execPath, ['tools/start.mjs'], {
      API_PORT: String(apiPort),
      ALERTING_PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      MQTT_WS_PORT: String(await freePort()),
      PG_PORT: String(await freePort()),
      ADVISOR_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      EDGE: '1',
      NODE_ID: 'stack-e2e',
      SENSOR_INTERVAL_MS: '500',
      EDGE_HTTP_PORT: '0',
    });
    await waitFor(() => stack.output().includes('Ctrl-C stops everything'), {
      timeoutMs: 90_000,
      what: 'the stack to be ready',
    }).catch((e: Error) => {
      throw new Error(`${e.message}\n${stack.output().slice(-3_000)}`);
    });
  });

  afterAll(async () => {
    await stack?.stop('SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts a killed api within seconds, keeps the rest, and leaves nothing behind on Ctrl-C', async () => {
    const [api] = pids(stack.output(), 'api');
    const others = ['postgres', 'broker', 'alerting', 'edge'].map(
      (n) => pids(stack.output(), n)[0],
    );
    expect(others.every((p) => p > 0 && alive(p))).toBe(true);
    process.kill(api, 'SIGKILL');
    const killedAt = Date.now();
    await waitFor(
      async () => {
        if (pids(stack.output(), 'api').length < 2) return false;
        const res = await fetch(`http://127.0.0.1:${apiPort}/health/live`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs: 20_000, what: 'the api back' },
    );
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(stack.output()).toMatch(/api stopped unexpectedly \(SIGKILL\); restarting in 1 s/);
    expect(others.every(alive)).toBe(true);
    expect(stack.child.exitCode).toBeNull();

    const all = ['postgres', 'broker', 'api', 'alerting', 'edge'].flatMap((n) =>
      pids(stack.output(), n),
    );
    await stack.stop('SIGINT');
    expect(stack.output()).toContain('[stack] stopped');
    expect(all.filter(alive)).toEqual([]);
    // The PostgreSQL server itself (a grandchild) is gone too: its data dir is unlocked.
    const { execFileSync } = await import('node:child_process');
    const left = (() => {
      try {
        return execFileSync('pgrep', ['-f', dataDir]).toString().trim();
      } catch {
        return '';
      }
    })();
    expect(left).toBe('');
  });
});
