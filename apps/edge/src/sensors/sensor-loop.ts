/**
 * One independent loop per sensor: each has its own timer, so a slow or failing sensor never
 * delays another. A throwing source is counted and reported, and the loop goes on.
 */
import { Logger } from '@nestjs/common';
import type { SensorKind } from '@iotmon/domain';
import type { ReadingSource } from './simulated-source';

export interface SensorLoopStats {
  kind: SensorKind;
  samples: number;
  failures: number;
  lastError?: string;
}

export class SensorLoop {
  private readonly log = new Logger(`sensor:${this.kind}`);
  private timer: NodeJS.Timeout | undefined;
  readonly stats: SensorLoopStats;

  constructor(
    readonly kind: SensorKind,
    private readonly intervalMs: number,
    private readonly source: ReadingSource,
    private readonly onSample: (kind: SensorKind, value: number, ts: number) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.stats = { kind, samples: 0, failures: 0 };
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sample(): void {
    const ts = this.now();
    let value: number;
    try {
      value = this.source(ts);
    } catch (e) {
      this.stats.failures++;
      this.stats.lastError = (e as Error).message;
      this.log.warn(`source failed (${this.stats.failures} so far): ${this.stats.lastError}`);
      return;
    }
    this.stats.samples++;
    this.onSample(this.kind, value, ts);
  }
}
