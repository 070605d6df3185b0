/**
 * CORS as the original's `r.Use(cors.Default())` (gin-contrib/cors v1.4.0, the version in its
 * go.mod): every origin allowed, so `Access-Control-Allow-Origin: *` and no `Vary`; a
 * preflight (OPTIONS with an Origin) is answered 204 with the default methods, headers and a
 * 12-hour max age. A request whose Origin is its own scheme and Host is not a CORS request.
 */

/** Only what cors reads and writes, so either Fastify copy (root or Nest's) fits. */
interface CorsRequest {
  method: string;
  headers: { origin?: string; host?: string };
}
interface CorsReply {
  header(name: string, value: string): CorsReply;
}

/** DefaultConfig(): methods upper-cased, headers canonicalised, joined with "," as cors does. */
export const CORS_DEFAULT = {
  allowMethods: 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS',
  allowHeaders: 'Origin,Content-Length,Content-Type',
  maxAgeSeconds: String(12 * 60 * 60),
} as const;

/** What the cors middleware did: nothing, added headers, or answered the preflight itself. */
export type CorsOutcome = 'not-cors' | 'headers' | 'preflight';

export function applyDefaultCors(req: CorsRequest, reply: CorsReply): CorsOutcome {
  const origin = req.headers.origin;
  if (!origin) return 'not-cors';
  const host = req.headers.host ?? '';
  if (origin === `http://${host}` || origin === `https://${host}`) return 'not-cors';
  reply.header('Access-Control-Allow-Origin', '*');
  if (req.method !== 'OPTIONS') return 'headers';
  reply
    .header('Access-Control-Allow-Methods', CORS_DEFAULT.allowMethods)
    .header('Access-Control-Allow-Headers', CORS_DEFAULT.allowHeaders)
    .header('Access-Control-Max-Age', CORS_DEFAULT.maxAgeSeconds);
  return 'preflight';
}
