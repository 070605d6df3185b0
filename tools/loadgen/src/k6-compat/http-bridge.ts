/**
 * The HTTP side of the k6-compatible runner: performs a VU's request with undici on the main
 * thread, follows redirects as k6 does (up to 10; 301/302/303 turn into GET, 307/308 keep the
 * method and body), decompresses gzip/deflate/br, and maps hosts like k6's `hosts` option.
 * Only loopback addresses are ever dialled: a script's own URLs (a cloud IP, an ingress host
 * name) must be mapped onto the local api with `hosts`, or the request fails with status 0.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, request } from 'undici';

export interface BridgeRequest {
  method: string;
  url: string;
  body?: string;
  headers: Record<string, string>;
  redirects?: number;
}

/** One HTTP exchange (a redirect chain has several). */
export interface Hop {
  method: string;
  url: string;
  status: number;
  durationMs: number;
  sentBytes: number;
  receivedBytes: number;
}

export interface BridgeResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  url: string;
  requestUrl: string;
  method: string;
  durationMs: number;
  error?: string;
  hops: Hop[];
}

/** `name` or `name:port` -> `address:port`, as k6's `hosts` option. */
export type HostMap = Readonly<Record<string, string>>;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/;
const K6_MAX_REDIRECTS = 10;
const USER_AGENT = 'iotmon-loadgen-k6-compatible/1';

/** Where `url` is really sent: its host mapped, and refused unless it is loopback. */
export function dialTarget(url: URL, hosts: HostMap): string {
  const mapped = hosts[url.host] ?? hosts[url.hostname];
  const target = mapped ?? url.host;
  const hostname = target.replace(/:\d+$/, '');
  if (!LOOPBACK.test(hostname)) {
    throw new Error(
      `refusing to send to ${target}: only loopback addresses are allowed (map ${url.host} with --hosts)`,
    );
  }
  // A mapping without a port keeps the URL's own port, as k6 does.
  const port = mapped && !/:\d+$/.test(mapped) && url.port ? `:${url.port}` : '';
  return `${url.protocol}//${target}${port}`;
}

/** Header names as k6 shows them: canonical MIME case (`Content-Type`). */
const canonical = (name: string) => name.replace(/(^|-)([a-z])/g, (_, d, c) => d + c.toUpperCase());

function decode(buf: Buffer, encoding: string | undefined): string {
  switch ((encoding ?? '').toLowerCase()) {
    case 'gzip':
      return gunzipSync(buf).toString();
    case 'deflate':
      return inflateSync(buf).toString();
    case 'br':
      return brotliDecompressSync(buf).toString();
    default:
      return buf.toString();
  }
}

export class HttpBridge {
  private readonly agent = new Agent({ connections: 512, keepAliveTimeout: 10_000 });

  constructor(private readonly hosts: HostMap) {}

  async send(req: BridgeRequest): Promise<BridgeResponse> {
    const hops: Hop[] = [];
    let method = req.method;
    let body = req.body;
    let url = req.url;
    const started = performance.now();
    const maxRedirects = req.redirects ?? K6_MAX_REDIRECTS;
    for (let redirects = 0; ; redirects++) {
      const t0 = performance.now();
      let parsed: URL;
      try {
        parsed = new URL(url);
        const origin = dialTarget(parsed, this.hosts);
        const headers: Record<string, string> = {
          'user-agent': USER_AGENT,
          ...lower(req.headers),
          host: parsed.host,
        };
        const res = await request(origin + parsed.pathname + parsed.search, {
          method: method as 'GET',
          headers,
          body,
          dispatcher: this.agent,
          headersTimeout: 60_000,
          bodyTimeout: 60_000,
        });
        const raw = Buffer.from(await res.body.arrayBuffer());
        const resHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) resHeaders[canonical(k)] = Array.isArray(v) ? v.join(', ') : v;
        }
        const durationMs = performance.now() - t0;
        hops.push({
          method,
          url,
          status: res.statusCode,
          durationMs,
          sentBytes: body?.length ?? 0,
          receivedBytes: raw.length,
        });
        const location = resHeaders['Location'];
        if (
          location &&
          [301, 302, 303, 307, 308].includes(res.statusCode) &&
          redirects < maxRedirects
        ) {
          url = new URL(location, url).toString();
          if (res.statusCode <= 303) {
            if (method !== 'HEAD') method = 'GET';
            body = undefined;
          }
          continue;
        }
        return {
          status: res.statusCode,
          body: decode(raw, resHeaders['Content-Encoding']),
          headers: resHeaders,
          url,
          requestUrl: req.url,
          method: req.method,
          durationMs: performance.now() - started,
          hops,
        };
      } catch (e) {
        // Refused, reset, not allowed: k6 reports these as status 0 with an error.
        hops.push({
          method,
          url,
          status: 0,
          durationMs: performance.now() - t0,
          sentBytes: 0,
          receivedBytes: 0,
        });
        return {
          status: 0,
          body: '',
          headers: {},
          url,
          requestUrl: req.url,
          method: req.method,
          durationMs: performance.now() - started,
          error: (e as Error).message,
          hops,
        };
      }
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}
