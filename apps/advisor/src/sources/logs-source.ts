/** Where log lines come from: Loki when configured, else a followed file or stdin. */
import type { LogLine } from '../detectors';

export interface LogsSource {
  /** Lines since `sinceMs` ago, optionally only those matching `pattern` (a regular expression). */
  recent(sinceMs: number, pattern?: string): Promise<LogLine[]>;
  readonly description: string;
}

export const LOGS_SOURCE = Symbol('LOGS_SOURCE');
