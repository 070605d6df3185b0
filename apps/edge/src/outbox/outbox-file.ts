/**
 * The on-disk half of one outbox queue: an append-only JSON-lines file plus a small `.head`
 * file counting the lines already committed (or dropped) from its front. Appends are written
 * and fdatasync'ed in groups (`flush`, called by the outbox's timer): an item is handed to
 * the broker only after its group is on disk, so a node killed at any moment never re-uses a
 * sequence number the server may already hold. The write and sync run on libuv's thread pool
 * (`flushAsync`): a fleet of nodes syncs its files in parallel without stalling the event
 * loop. A fully drained queue truncates its file.
 */
import { fdatasync, write } from 'node:fs';
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export class OutboxFile {
  private readonly path: string;
  private readonly headPath: string;
  private head = 0;
  private headDirty = false;
  private pending: string[] = [];
  private fd: number | undefined;
  private writing: Promise<void> | undefined;

  /** `sync` false writes without fdatasync (only the fsync bench's peer measurement). */
  constructor(
    dir: string,
    name: string,
    private readonly sync = true,
  ) {
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

  get hasPending(): boolean {
    return this.pending.length > 0 || this.headDirty;
  }

  append(line: string): void {
    this.pending.push(line);
  }

  /** Writes the grouped appends and makes them durable, off the event loop. */
  flushAsync(): Promise<void> {
    const prev = this.writing ?? Promise.resolve();
    const text = this.pending.length > 0 ? this.pending.join('\n') + '\n' : undefined;
    this.pending = [];
    const run = prev.then(async () => {
      if (text !== undefined) {
        this.fd ??= openSync(this.path, 'a');
        const fd = this.fd;
        await new Promise<void>((res, rej) => write(fd, text, (e) => (e ? rej(e) : res())));
        if (this.sync)
          await new Promise<void>((res, rej) => fdatasync(fd, (e) => (e ? rej(e) : res())));
      }
      this.writeHead();
    });
    const tracked = run.finally(() => {
      if (this.writing === tracked) this.writing = undefined;
    });
    this.writing = tracked;
    return tracked;
  }

  /** Waits for a write in progress (before a synchronous flush or close). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined);
  }

  private writeHead(): void {
    if (!this.headDirty) return;
    // Not synced: a lost head only replays committed lines, which the server dedupes.
    writeFileSync(this.headPath, String(this.head));
    this.headDirty = false;
  }

  /** Writes the grouped appends and makes them durable now (shutdown; no write in progress). */
  flush(): void {
    if (this.pending.length > 0) {
      const text = this.pending.join('\n') + '\n';
      this.pending = [];
      this.fd ??= openSync(this.path, 'a');
      writeSync(this.fd, text);
      if (this.sync) fdatasyncSync(this.fd);
    }
    this.writeHead();
  }

  /** `n` lines at the front are gone; `empty` when nothing is left at all. */
  consumed(n: number, empty: boolean): void {
    if (empty && this.pending.length === 0 && !this.writing) {
      this.closeFd();
      this.head = 0;
      this.headDirty = false;
      writeFileSync(this.path, '');
      rmSync(this.headPath, { force: true });
      return;
    }
    this.head += n;
    this.headDirty = true;
  }

  /** Replaces the file with exactly these lines. */
  rewrite(lines: string[]): void {
    this.closeFd();
    this.pending = [];
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, lines.length ? lines.join('\n') + '\n' : '');
    // Head first: a crash in between replays a few lines twice rather than losing any.
    rmSync(this.headPath, { force: true });
    renameSync(tmp, this.path);
    this.head = 0;
  }

  close(): void {
    this.flush();
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
