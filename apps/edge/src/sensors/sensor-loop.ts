/**
 * One independent loop per sensor: each has its own timer, so a slow or failing sensor never
 * delays another. A throwing source is counted and reported (stats, a warning when it starts
 * and stops failing), and the loop goes on.
 */
import type { SensorKind } from '@iotmon/domain';
import type { ReadingSource } from './simulated-source';

export interface SensorLoopStats {
  kind: SensorKind;
  samples: number;
  failures: number;
  /** Failures in a row; 0 once a sample succeeds again. */
  failing: number;
  /** Samples skipped because the loop fell behind by more than a period (or than its catch-up). */
  skipped: number;
  lastError?: string;
  lastErrorAt?: number;
}

export type SampleHandler = (kind: SensorKind, value: number, ts: number) => void;
export type FailureReporter = (stats: SensorLoopStats, recovered: boolean) => void;

export class SensorLoop {
  private timer: NodeJS.Timeout | undefined;
  readonly stats: SensorLoopStats;

  constructor(
    readonly kind: SensorKind,
    readonly intervalMs: number,
    private readonly source: ReadingSource,
    private readonly onSample: SampleHandler,
    private readonly report: FailureReporter = () => undefined,
    private readonly now: () => number = Date.now,
    /** Late by up to this, the missed samples are taken at once instead of skipped (0: none). */
    private readonly catchUpMs = 0,
  ) {
    this.stats = { kind, samples: 0, failures: 0, failing: 0, skipped: 0 };
  }

  /**
   * Starts sampling after `offsetMs` (fleet mode spreads its nodes over the period). Samples
   * are due at fixed times (start + k·interval), so the rate does not drift with the time a
   * sample takes; when the loop falls more than a period behind it skips ahead and counts it,
   * unless it is behind by no more than `catchUpMs`: then it takes the missed samples now, each
   * stamped with the time it is taken (a simulation or replay keeps its rate on a busy host).
   */
  start(offsetMs = 0): void {
    this.due = Date.now() + offsetMs;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private due = 0;
  private stopped = false;

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.fire(), Math.max(0, this.due - Date.now()));
  }

  private fire(): void {
    this.sample();
    this.due += this.intervalMs;
    let behind = Date.now() - this.due;
    while (behind >= 0 && behind <= this.catchUpMs && !this.stopped) {
      this.sample();
      this.due += this.intervalMs;
      behind = Date.now() - this.due;
    }
    if (behind > this.intervalMs) {
      const missed = Math.floor(behind / this.intervalMs);
      this.stats.skipped += missed;
      this.due += missed * this.intervalMs;
    }
    this.schedule();
  }

  sample(): void {
    const ts = this.now();
    let value: number;
    try {
      value = this.source(ts);
    } catch (e) {
      this.stats.failures++;
      this.stats.failing++;
      this.stats.lastError = e instanceof Error ? e.message : String(e);
      this.stats.lastErrorAt = ts;
      if (this.stats.failing === 1) this.report(this.stats, false);
      return;
    }
    if (this.stats.failing > 0) {
      this.stats.failing = 0;
      this.report(this.stats, true);
    }
    this.stats.samples++;
    this.onSample(this.kind, value, ts);
  }
}
