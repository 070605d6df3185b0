/**
 * Forwards the dashboard's few reads (devices, readings, aggregates) to the api, and the
 * Advisor page's calls (findings, history, questions) to the advisor, so the page talks to
 * one origin and neither needs CORS. Only fixed paths, always with the caller's own credential
 * (the proxy has none of its own; the api and the advisor decide what the caller may do).
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
export type AdvisorPath = '/advice' | '/advice/history' | '/advice/ask';

const TIMEOUT_MS = 10_000;

@Injectable()
export class ApiProxy {
  constructor(@Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig) {}

  /**
   * GET `path` on the api with the query string of the incoming request URL, as the caller:
   * `credential` is the caller's own (forwarded token or key); the proxy has none of its own.
   */
  get(
    path: ProxiedPath,
    requestUrl: string,
    credential: Record<string, string>,
  ): Promise<ProxiedResponse> {
    const headers = { accept: 'application/json', ...credential };
    return forward('api', this.config.apiUrl, path, requestUrl, { headers });
  }

  /** `path` on the advisor as the caller; a POST forwards the JSON body. */
  advisor(
    path: AdvisorPath,
    requestUrl: string,
    credential: Record<string, string>,
    post?: { body: unknown },
  ): Promise<ProxiedResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...credential };
    if (post) headers['content-type'] = 'application/json';
    return forward('advisor', this.config.advisorUrl, path, requestUrl, {
      headers,
      method: post ? 'POST' : 'GET',
      body: post ? JSON.stringify(post.body ?? {}) : undefined,
    });
  }
}

async function forward(
  name: 'api' | 'advisor',
  base: string,
  path: string,
  requestUrl: string,
  init: RequestInit,
): Promise<ProxiedResponse> {
  const q = requestUrl.indexOf('?');
  const url = `${base}${path}${q >= 0 && init.method !== 'POST' ? requestUrl.slice(q) : ''}`;
  let res: Response;
  try {
    // An LLM answer may take a while; reads answer at once.
    const timeout = init.method === 'POST' ? 60_000 : TIMEOUT_MS;
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeout) });
  } catch (e) {
    throw AppError.badGateway(`the ${name} at ${base} did not answer (${(e as Error).name})`);
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? 'application/json; charset=utf-8',
    nextCursor: res.headers.get('x-next-cursor'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}
