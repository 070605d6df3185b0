/**
 * A real child process the chaos run can kill (SIGKILL) and bring back, that is also brought
 * back after 1 s if it dies by itself (as a container runtime would), counting such exits:
 * a process that exits on a neighbour's fault is a finding even when nothing is lost.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { stopChild } from '@iotmon/testing';

export class Supervised {
  child: ChildProcess | undefined;
  /** Exits nobody asked for (the chaos run's own kills do not count). */
  unexpectedExits = 0;
  /** When the current process was started. */
  startedAt = 0;
  private output = '';
  /** Where the current process's output starts. */
  private since = 0;
  private wanted = false;
  private expectExit = false;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: (line: string) => void,
  ) {}

  /** Last output, for diagnostics. */
  tail(chars = 4_000): string {
    return this.output.slice(-chars);
  }

  start(): void {
    this.wanted = true;
    this.expectExit = false;
    const child = spawn(this.command, this.args, {
      env: { ...process.env, NO_COLOR: '1', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.startedAt = Date.now();
    this.since = this.output.length;
    const keep = (d: Buffer) => {
      this.output += d.toString();
      if (this.output.length > 200_000) {
        const cut = this.output.length - 100_000;
        this.output = this.output.slice(cut);
        this.since = Math.max(0, this.since - cut);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.expectExit || !this.wanted) return;
      this.unexpectedExits++;
      this.log(`${this.name} exited by itself (${signal ?? `code ${code}`}); restarting in 1 s`);
      this.log(this.tail(1_500));
      setTimeout(() => this.wanted && !this.child && this.start(), 1_000);
    });
  }

  /** Waits until `pattern` shows in this process's output since it was started. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.output.slice(this.since).match(pattern);
      if (m) return m;
      if (Date.now() > deadline)
        throw new Error(`${this.name}: no ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** kill -9; it stays down until start(). */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<void> {
    this.wanted = false;
    const child = this.child;
    if (!child) return;
    this.expectExit = true;
    await stopChild(child, signal, timeoutMs);
  }
}
