/** Series from the Prometheus HTTP API (query_range), one read-only query per detector metric. */
import { Inject, Injectable } from '@nestjs/common';
import type { Series } from '../detectors';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';
import { DETECTOR_METRICS } from './metric-names';
import type { MetricsSource } from './metrics-source';

interface RangeResponse {
  status: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; values: [number, string][] }[];
  };
  error?: string;
}

@Injectable()
export class PrometheusSource implements MetricsSource {
  readonly description: string;

  constructor(@Inject(ADVISOR_CONFIG) private readonly config: AdvisorConfig) {
    this.description = `prometheus ${config.prometheusUrl}`;
  }

  async series(windowMs: number): Promise<Series[]> {
    const all = await Promise.all(DETECTOR_METRICS.map((m) => this.range(m, windowMs)));
    return all.flat();
  }

  /** One PromQL range query (a plain selector; rates are the detectors' arithmetic). */
  async range(query: string, windowMs: number): Promise<Series[]> {
    const end = Date.now() / 1000;
    const step = Math.max(1, Math.round(this.config.sampleIntervalMs / 1000));
    const u = new URL(`${this.config.prometheusUrl}/api/v1/query_range`);
    u.searchParams.set('query', query);
    u.searchParams.set('start', String(end - windowMs / 1000));
    u.searchParams.set('end', String(end));
    u.searchParams.set('step', `${step}s`);
    const res = await fetch(u, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as RangeResponse;
    if (body.status !== 'success' || !body.data)
      throw new Error(`prometheus: ${body.error ?? res.status}`);
    return body.data.result.map((r) => {
      const { __name__, ...labels } = r.metric;
      return {
        metric: __name__ ?? query,
        labels,
        points: r.values.map(([t, v]) => [t * 1000, Number(v)] as [number, number]),
      };
    });
  }
}
