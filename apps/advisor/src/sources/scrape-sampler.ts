/**
 * Without Prometheus: scrapes each target's /metrics and /health/ready every interval and keeps
 * a window of samples in memory. A failed scrape is recorded as `up{job,instance} 0`, a failed
 * readiness check as `iotmon_ready 0`, exactly what Prometheus and a blackbox probe would show.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Series } from '../detectors';
import { ADVISOR_CONFIG, type AdvisorConfig, type ScrapeTarget } from '../config';
import { DETECTOR_METRICS } from './metric-names';
import type { MetricsSource } from './metrics-source';
import { parsePrometheusText } from './prometheus-text';

const KEEP_MS = 15 * 60_000;
const KEEP = new Set<string>(DETECTOR_METRICS);

@Injectable()
export class ScrapeSampler implements MetricsSource, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('ScrapeSampler');
  private readonly store = new Map<string, Series>();
  private timer?: NodeJS.Timeout;
  readonly description: string;

  constructor(@Inject(ADVISOR_CONFIG) private readonly config: AdvisorConfig) {
    this.description = `scraped /metrics of ${config.scrapeTargets.map((t) => t.job).join(', ') || 'nothing'}`;
  }

  onApplicationBootstrap(): void {
    if (!this.config.scrapeTargets.length) return;
    const tick = () =>
      void this.sampleAll(Date.now()).catch((e: Error) =>
        this.log.warn(`sampling failed: ${e.message}`),
      );
    tick();
    this.timer = setInterval(tick, this.config.sampleIntervalMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async series(windowMs: number): Promise<Series[]> {
    const from = Date.now() - windowMs;
    return [...this.store.values()].map((s) => ({
      ...s,
      points: s.points.filter(([t]) => t >= from),
    }));
  }

  async sampleAll(now: number): Promise<void> {
    await Promise.all(this.config.scrapeTargets.map((t) => this.sample(t, now)));
  }

  private async sample(target: ScrapeTarget, now: number): Promise<void> {
    const instance = new URL(target.url).host;
    const base = { job: target.job, instance };
    const timeout = Math.min(3_000, this.config.sampleIntervalMs);
    try {
      const res = await fetch(`${target.url}/metrics`, { signal: AbortSignal.timeout(timeout) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      for (const s of parsePrometheusText(await res.text()))
        if (KEEP.has(s.metric)) this.add(s.metric, { ...s.labels, ...base }, now, s.value);
      this.add('up', base, now, 1);
    } catch {
      this.add('up', base, now, 0);
    }
    try {
      const res = await fetch(`${target.url}/health/ready`, {
        signal: AbortSignal.timeout(timeout),
      });
      // The edge has /health only; a 404 there is not "not ready".
      if (res.status !== 404) this.add('iotmon_ready', base, now, res.ok ? 1 : 0);
    } catch {
      this.add('iotmon_ready', base, now, 0);
    }
  }

  private add(metric: string, labels: Record<string, string>, t: number, v: number): void {
    const key = `${metric}${JSON.stringify(Object.entries(labels).sort())}`;
    let s = this.store.get(key);
    if (!s) this.store.set(key, (s = { metric, labels, points: [] }));
    s.points.push([t, v]);
    while (s.points.length && s.points[0][0] < t - KEEP_MS) s.points.shift();
  }
}
