/**
 * Forwards the dashboard's few reads (devices, readings, aggregates) to the api, so the page
 * talks to one origin and the api needs no CORS. Only GET, only fixed paths.
 */
import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@iotmon/server-kit';
import { DASHBOARD_CONFIG, type DashboardConfig } from './dashboard-config';

export interface ProxiedResponse {
  status: number;
  contentType: string;
  /** The api's page cursor of GET /readings (x-next-cursor), when there is one. */
  nextCursor: string | null;
  body: Buffer;
}

export const PROXIED_PATHS = ['/devices', '/readings', '/readings/aggregate'] as const;
export type ProxiedPath = (typeof PROXIED_PATHS)[number];

const TIMEOUT_MS = 10_000;

@Injectable()
export class ApiProxy {
  constructor(@Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig) {}

  /**
   * GET `path` on the api with the query string of the incoming request URL, as the caller:
   * `credential` is the caller's own (forwarded token or key); the proxy has none of its own.
   */
  async get(
    path: ProxiedPath,
    requestUrl: string,
    credential: Record<string, string>,
  ): Promise<ProxiedResponse> {
    const q = requestUrl.indexOf('?');
    const url = `${this.config.apiUrl}${path}${q >= 0 ? requestUrl.slice(q) : ''}`;
    const headers: Record<string, string> = { accept: 'application/json', ...credential };
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      throw AppError.badGateway(
        `the api at ${this.config.apiUrl} did not answer (${(e as Error).name})`,
      );
    }
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? 'application/json; charset=utf-8',
      nextCursor: res.headers.get('x-next-cursor'),
      body: Buffer.from(await res.arrayBuffer()),
    };
  }
}
