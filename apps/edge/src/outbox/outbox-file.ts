/**
 * The on-disk half of one outbox queue: an append-only JSON-lines file plus a small `.head`
 * file counting the lines already delivered or dropped from its front. Appends are grouped
 * per event-loop turn; a fully drained queue truncates its file.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export class OutboxFile {
  private readonly path: string;
  private readonly headPath: string;
  private head = 0;
  private pending: string[] = [];
  private flushScheduled = false;

  constructor(dir: string, name: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `${name}.jsonl`);
    this.headPath = join(dir, `${name}.head`);
  }

  /** Lines not yet consumed, as left by the previous run. */
  load(): string[] {
    if (!existsSync(this.path)) return [];
    const head = existsSync(this.headPath) ? Number(readFileSync(this.headPath, 'utf8')) : 0;
    const lines = readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
    const rest = lines.slice(Number.isSafeInteger(head) && head > 0 ? head : 0);
    // Start a clean file so the head counter restarts at 0.
    this.rewrite(rest);
    return rest;
  }

  append(line: string): void {
    this.pending.push(line);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    appendFileSync(this.path, text);
  }

  /** `n` lines at the front are gone; `empty` when nothing is left at all. */
  consumed(n: number, empty: boolean): void {
    this.flush();
    if (empty) {
      this.head = 0;
      writeFileSync(this.path, '');
      rmSync(this.headPath, { force: true });
      return;
    }
    this.head += n;
    writeFileSync(this.headPath, String(this.head));
  }

  /** Replaces the file with exactly these lines (after drops behind in-flight items). */
  rewrite(lines: string[]): void {
    this.pending = [];
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, lines.length ? lines.join('\n') + '\n' : '');
    // Head first: a crash in between replays a few lines twice rather than losing any.
    rmSync(this.headPath, { force: true });
    renameSync(tmp, this.path);
    this.head = 0;
  }
}
