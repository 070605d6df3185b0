/**
 * Lets a metric read its value when /metrics is scraped instead of on the hot path.
 * prom-client takes `collect` only in a metric's config, where the app's providers are not at
 * hand yet, so it is set here on the injected metric (the one place that does so).
 */
import type { Metric } from 'prom-client';

export function sampleOnScrape<M extends Metric>(metric: M, sample: (metric: M) => void): void {
  (metric as unknown as { collect?: () => void }).collect = () => sample(metric);
}
