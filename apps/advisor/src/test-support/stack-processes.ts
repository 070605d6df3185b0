/**
 * Real processes for the advisor's e2e test and the scenario recorder: the workspace compiled
 * into a private directory, each part started as its own process with its output kept, and
 * "ready" taken from the line each part prints once it serves.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from '@iotmon/testing';

export const WORKSPACE = join(__dirname, '../../../..');

export interface Proc {
  name: string;
  child: ChildProcess;
  output: string[];
  /** Resolves with the ready line's match. */
  ready: Promise<RegExpMatchArray>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function compileWorkspace(): { dir: string; js: (ts: string) => string; cleanup(): void } {
  const dir = join('tmp', `advisor-${process.pid}`);
  execFileSync(process.execPath, ['tools/compile.mjs', '--out', dir], { cwd: WORKSPACE });
  return {
    dir,
    js: (ts) => join(WORKSPACE, dir, ts.replace(/\.ts$/, '.js')),
    cleanup: () => rmSync(join(WORKSPACE, dir), { recursive: true, force: true }),
  };
}

export function startProc(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  readyLine: RegExp,
  timeoutMs = 60_000,
): Proc {
  const child = spawn(process.execPath, [script], {
    cwd: WORKSPACE,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const ready = new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`${name} not ready in ${timeoutMs} ms:\n${output.slice(-30).join('\n')}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (!line) continue;
        output.push(line);
        if (output.length > 500) output.shift();
        const m = line.match(readyLine);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before ready:\n${output.slice(-30).join('\n')}`));
    });
  });
  ready.catch(() => undefined);
  return {
    name,
    child,
    output,
    ready,
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
  };
}
