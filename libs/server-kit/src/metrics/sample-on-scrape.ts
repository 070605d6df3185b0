/**
 * Lets a metric read its value when /metrics is scraped instead of on the hot path.
 * prom-client takes `collect` only in a metric's config, where the app's providers are not at
 * hand yet, so it is set here on the injected metric (the one place that does so). A sample
 * may be async (a count from PostgreSQL); if it fails the metric keeps its last value, so one
 * unreachable database does not take the whole /metrics down with it.
 */
import type { Metric } from 'prom-client';

export function sampleOnScrape<M extends Metric>(
  metric: M,
  sample: (metric: M) => void | Promise<void>,
): void {
  (metric as unknown as { collect?: () => void | Promise<void> }).collect = () => {
    const out = sample(metric);
    return out instanceof Promise ? out.catch(() => undefined) : out;
  };
}
