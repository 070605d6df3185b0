/**
 * Runs the detectors over a fresh snapshot every evaluation interval and keeps the current
 * findings. A finding that appears, or worsens, and one that resolves go to the history.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { runDetectors, type Finding, type Snapshot } from '../detectors';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';
import { AdvisorMetrics } from '../metrics/advisor-metrics';
import { HistoryRepository, type HistoryEntry } from './history.repository';
import { SnapshotCollector } from './snapshot-collector';

export interface CurrentAdvice {
  at: string;
  findings: Finding[];
  /** Sources that failed in the last evaluation (their tables may be stale). */
  sourceErrors: Record<string, string>;
}

@Injectable()
export class FindingsEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('FindingsEngine');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private current: CurrentAdvice = {
    at: new Date(0).toISOString(),
    findings: [],
    sourceErrors: {},
  };
  private last?: Snapshot;

  constructor(
    @Inject(ADVISOR_CONFIG) private readonly config: AdvisorConfig,
    private readonly collector: SnapshotCollector,
    private readonly history: HistoryRepository,
    private readonly metrics: AdvisorMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.evaluate(), this.config.evaluateIntervalMs);
    void this.evaluate();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  advice(): CurrentAdvice {
    return this.current;
  }

  snapshot(): Snapshot | undefined {
    return this.last;
  }

  /** One evaluation; overlapping ticks are skipped rather than queued. */
  evaluate(now = Date.now()): Promise<void> {
    if (this.running) return this.running;
    this.running = this.run(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(now: number): Promise<void> {
    const stop = this.metrics.evaluationSeconds.startTimer();
    try {
      const snapshot = await this.collector.collect(now);
      const findings = runDetectors(snapshot);
      const changes = diff(this.current.findings, findings, new Date(now).toISOString());
      this.last = snapshot;
      this.current = {
        at: new Date(now).toISOString(),
        findings,
        sourceErrors: this.collector.sourceErrors,
      };
      this.metrics.findings.reset();
      for (const f of findings)
        this.metrics.findings.inc({ detector: f.detector, severity: f.severity });
      await this.history.append(changes);
    } catch (e) {
      this.log.warn(`evaluation failed: ${(e as Error).message}`);
    } finally {
      stop();
    }
  }
}

const RANK = { info: 0, warning: 1, critical: 2 } as const;

function diff(before: Finding[], after: Finding[], at: string): HistoryEntry[] {
  const prev = new Map(before.map((f) => [f.id, f]));
  const next = new Map(after.map((f) => [f.id, f]));
  const out: HistoryEntry[] = [];
  for (const f of after) {
    const p = prev.get(f.id);
    if (!p || RANK[f.severity] > RANK[p.severity])
      out.push({
        kind: 'finding',
        at,
        findingId: f.id,
        severity: f.severity,
        source: 'detectors',
        body: f,
      });
  }
  for (const f of before)
    if (!next.has(f.id))
      out.push({
        kind: 'resolved',
        at,
        findingId: f.id,
        severity: f.severity,
        source: 'detectors',
        body: { id: f.id, title: f.title },
      });
  return out;
}
