/**
 * SIGTERM ends a real app process: promptly when its hooks finish, and within the shutdown
 * deadline when one hangs (a peer that went away mid-close), so nothing waits on it forever.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from '@iotmon/testing';

const root = join(__dirname, '../../../..');
const outDir = `tmp/shutdown-${process.pid}`;

/** An app whose shutdown hook never returns (and keeps a timer) when `hang`; prints "ready" once listening. */
const script = (hang: boolean) => `
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const kit = require(${JSON.stringify(join(root, outDir, 'libs/server-kit/src/index.js'))});
class Hook { onApplicationShutdown() { return ${hang} ? new Promise(() => setInterval(() => {}, 1000)) : undefined; } }
Injectable()(Hook);
class App {}
Module({ imports: [kit.ServerKitModule.forRoot({ readiness: [] })], providers: [Hook] })(App);
kit.createServerApp(App, { logger: false, shutdownDeadlineMs: 500 })
  .then((app) => app.listen(0, '127.0.0.1'))
  .then(() => console.log('ready'));
`;

async function runAndTerm(hang: boolean) {
  const child = spawn(process.execPath, ['-e', script(hang)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>(
    (resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - t0 })),
  );
  let t0 = Date.now();
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => out.includes('ready') && resolve());
      child.once('exit', () => reject(new Error(`exited before ready:\n${out}`)));
    });
    t0 = Date.now();
    child.kill('SIGTERM');
    return { ...(await exit), out };
  } finally {
    await stopChild(child, 'SIGKILL');
  }
}

describe('shutdown deadline', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['tools/compile.mjs', '--out', outDir], { cwd: root });
  });
  afterAll(() => rmSync(join(root, outDir), { recursive: true, force: true }));

  it('exits on SIGTERM once the hooks are done, by the signal', async () => {
    const r = await runAndTerm(false);
    expect(r.signal).toBe('SIGTERM');
    expect(r.out).not.toMatch(/shutdown took over/);
  });

  it('exits with code 1 at the deadline when a hook hangs, saying why', async () => {
    const r = await runAndTerm(true);
    expect(r.code).toBe(1);
    expect(r.ms).toBeGreaterThanOrEqual(450);
    expect(r.ms).toBeLessThan(5_000);
    expect(r.out).toMatch(/shutdown took over 500 ms after SIGTERM; exiting/);
  });
});
