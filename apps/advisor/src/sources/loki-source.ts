/** Log lines from a Loki query API (LogQL over the apps' JSON logs), read-only. */
import { Inject, Injectable } from '@nestjs/common';
import type { LogLine } from '../detectors';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';
import { parseLogLine } from './log-line';
import type { LogsSource } from './logs-source';

interface LokiResponse {
  status: string;
  data?: { result: { stream: Record<string, string>; values: [string, string][] }[] };
}

@Injectable()
export class LokiSource implements LogsSource {
  readonly description: string;

  constructor(@Inject(ADVISOR_CONFIG) private readonly config: AdvisorConfig) {
    this.description = `loki ${config.lokiUrl}`;
  }

  /** `{app=~".+"} |~ "(?i)pattern"`: warnings and errors of every app unless a pattern is given. */
  async recent(sinceMs: number, pattern?: string): Promise<LogLine[]> {
    const filter = (pattern ?? 'error|warn|fatal').replace(/["\\]/g, '\\$&');
    const u = new URL(`${this.config.lokiUrl}/loki/api/v1/query_range`);
    u.searchParams.set('query', `{app=~".+"} |~ "(?i)${filter}"`);
    u.searchParams.set('start', String((Date.now() - sinceMs) * 1e6));
    u.searchParams.set('end', String(Date.now() * 1e6));
    u.searchParams.set('limit', '500');
    const res = await fetch(u, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as LokiResponse;
    if (body.status !== 'success' || !body.data) throw new Error(`loki: HTTP ${res.status}`);
    return body.data.result.flatMap((r) =>
      r.values.flatMap(([ns, line]) => {
        const l = parseLogLine(line, Number(ns) / 1e6);
        return l ? [{ ...l, app: r.stream['app'] ?? l.app }] : [];
      }),
    );
  }
}
