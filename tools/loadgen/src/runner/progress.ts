/** One status line while a run is going: a bar on a terminal, a line every 5 s in CI logs. */
export interface ProgressState {
  elapsedS: number;
  totalS: number;
  requests: number;
  failed: number;
  activeVus: number;
  /** Latency of the last second's requests, p95, ms. */
  recentP95Ms: number;
}

const WIDTH = 24;

export function formatProgress(label: string, s: ProgressState): string {
  const frac = Math.min(1, s.totalS > 0 ? s.elapsedS / s.totalS : 1);
  const filled = Math.round(frac * WIDTH);
  const bar =
    '='.repeat(Math.max(0, filled - 1)) + (filled ? '>' : '') + ' '.repeat(WIDTH - filled);
  const rps = s.elapsedS > 0 ? s.requests / s.elapsedS : 0;
  const err = s.requests ? (100 * s.failed) / s.requests : 0;
  return (
    `${label} [${bar}] ${s.elapsedS.toFixed(0)}/${s.totalS.toFixed(0)}s ` +
    `vus ${s.activeVus} reqs ${s.requests} (${rps.toFixed(1)}/s) err ${err.toFixed(2)}% ` +
    `p95 ${s.recentP95Ms.toFixed(1)}ms`
  );
}

export class ProgressLine {
  private lastPlain = -Infinity;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(s: ProgressState): void {
    const line = formatProgress(this.label, s);
    if (this.out.isTTY) {
      this.out.write(`\r${line}\x1b[K`);
    } else if (s.elapsedS - this.lastPlain >= 5) {
      this.lastPlain = s.elapsedS;
      this.out.write(`${line}\n`);
    }
  }

  done(s: ProgressState): void {
    const line = formatProgress(this.label, s);
    this.out.write(this.out.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
  }
}
