/**
 * Per-transition stage timestamps for the bench only: enabled by `ALERTING_STAGE_TRACE=<file>`
 * (never set in production), written to that file as JSON when the app shuts down. Times are
 * `performance.timeOrigin + performance.now()` (ms), comparable across processes on one host.
 * Off, every call is one boolean check.
 */
import { writeFileSync } from 'node:fs';
import {
  monitorEventLoopDelay,
  PerformanceObserver,
  type IntervalHistogram,
} from 'node:perf_hooks';

export const STAGES = ['recv', 'start', 'commit', 'notify', 'sse', 'send'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageTraceFile {
  stages: readonly Stage[];
  /** key `deviceId|eventTs|change` → one timestamp per stage (null when not seen). */
  events: Record<string, (number | null)[]>;
  /** [size, start, durationMs] per applied batch. */
  batches: [number, number, number][];
  /** [start, durationMs, kind] per GC. */
  gc: [number, number, number][];
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

export const traceKey = (deviceId: string, eventTs: number | null, change: string) =>
  `${deviceId}|${eventTs}|${change}`;

export const nowMs = () => performance.timeOrigin + performance.now();

class StageTraceImpl {
  readonly enabled: boolean;
  private readonly events = new Map<string, (number | null)[]>();
  private readonly batches: [number, number, number][] = [];
  private readonly gc: [number, number, number][] = [];
  private eld?: IntervalHistogram;
  private gcObserver?: PerformanceObserver;

  constructor(private readonly file: string | undefined) {
    this.enabled = !!file;
    if (!this.enabled) return;
    this.eld = monitorEventLoopDelay({ resolution: 1 });
    this.eld.enable();
    this.gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
        this.gc.push([performance.timeOrigin + e.startTime, e.duration, kind]);
      }
    });
    this.gcObserver.observe({ entryTypes: ['gc'] });
  }

  mark(stage: Stage, key: string, at = nowMs()): void {
    let row = this.events.get(key);
    if (!row) {
      row = STAGES.map(() => null);
      this.events.set(key, row);
    }
    const i = STAGES.indexOf(stage);
    if (row[i] === null) row[i] = at;
  }

  batch(size: number, start: number, durationMs: number): void {
    this.batches.push([size, start, durationMs]);
  }

  /** Writes the trace file (called once, at shutdown). */
  write(): void {
    if (!this.file) return;
    this.eld?.disable();
    this.gcObserver?.disconnect();
    const ms = (ns: number) => ns / 1e6;
    const out: StageTraceFile = {
      stages: STAGES,
      events: Object.fromEntries(this.events),
      batches: this.batches,
      gc: this.gc,
      eventLoopDelayMs: {
        p50: ms(this.eld?.percentile(50) ?? 0),
        p99: ms(this.eld?.percentile(99) ?? 0),
        max: ms(this.eld?.max ?? 0),
      },
    };
    writeFileSync(this.file, JSON.stringify(out));
  }
}

export const stageTrace = new StageTraceImpl(process.env['ALERTING_STAGE_TRACE'] || undefined);
