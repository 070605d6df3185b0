/**
 * Follows the stack's log (a JSON-lines file, or stdin with ADVISOR_LOG_FILE=-) and keeps the
 * last lines in memory. Reads only; a file that does not exist yet is waited for.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { LogLine } from '../detectors';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';
import { parseLogLine } from './log-line';
import type { LogsSource } from './logs-source';

const KEEP = 5_000;

@Injectable()
export class LogTail implements LogsSource, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly lines: LogLine[] = [];
  private offset = 0;
  private timer?: NodeJS.Timeout;
  private reading = false;
  readonly description: string;

  constructor(@Inject(ADVISOR_CONFIG) private readonly config: AdvisorConfig) {
    this.description =
      config.logFile === '-'
        ? 'stdin'
        : config.logFile
          ? `log file ${config.logFile}`
          : 'no log source';
  }

  onApplicationBootstrap(): void {
    const file = this.config.logFile;
    if (!file) return;
    if (file === '-') {
      createInterface({ input: process.stdin }).on('line', (l) => this.push(l));
      return;
    }
    // Start at the end: the past of the file is not "recent".
    try {
      this.offset = statSync(file).size;
    } catch {
      this.offset = 0;
    }
    this.timer = setInterval(() => void this.readMore(file), 1_000);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  push(raw: string, now = Date.now()): void {
    const l = parseLogLine(raw, now);
    if (!l) return;
    this.lines.push(l);
    if (this.lines.length > KEEP) this.lines.splice(0, this.lines.length - KEEP);
  }

  async recent(sinceMs: number, pattern?: string): Promise<LogLine[]> {
    const from = Date.now() - sinceMs;
    const re = pattern ? new RegExp(pattern, 'i') : undefined;
    return this.lines.filter((l) => l.ts >= from && (!re || re.test(l.msg)));
  }

  private async readMore(file: string): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const size = statSync(file).size;
      if (size < this.offset) this.offset = 0; // truncated or rotated
      if (size === this.offset) return;
      const stream = createReadStream(file, { start: this.offset, end: size - 1 });
      this.offset = size;
      for await (const line of createInterface({ input: stream })) this.push(line);
    } catch {
      /* the file is not there (yet) */
    } finally {
      this.reading = false;
    }
  }
}
