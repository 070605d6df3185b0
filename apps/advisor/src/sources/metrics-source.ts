/** Where metric series come from: Prometheus when configured, else the apps' own /metrics sampled. */
import type { Series } from '../detectors';

export interface MetricsSource {
  /** Series of the detector metrics over the last `windowMs`. */
  series(windowMs: number): Promise<Series[]>;
  /** What this source is, for evidence and the operator ("prometheus http://…"). */
  readonly description: string;
}

export const METRICS_SOURCE = Symbol('METRICS_SOURCE');
