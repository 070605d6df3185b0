import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child process a test started: `signal`, then SIGKILL once `graceMs` have passed
 * without an exit (a warning names it: a process that ignores SIGTERM is a defect to fix).
 * Resolves when it has exited, so no test run waits on a process nobody stopped.
 */
export function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      console.warn(`pid ${child.pid} did not exit ${graceMs} ms after ${signal}: SIGKILL`);
      child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}
