/**
 * Gin's router semantics on the original's routes, as `gin.Default()` (gin v1.8.1) has them:
 * RedirectTrailingSlash (301 for GET, 307 for other methods, before any middleware runs),
 * no 405 (HandleMethodNotAllowed is off, so another method is a plain 404), the text 404
 * `404 page not found`, cors.Default() on everything the middleware sees, and gzip whenever
 * the client accepts it (gin-contrib/gzip has no size threshold). Which of the original's two
 * variants is served is `GIN_LIST_PATH`: `/iot` (dsa-TBD) or `/iot/` (dsa-ant24); the other
 * spelling redirects to it.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { applyDefaultCors } from './gin-cors';

export type GinListPath = '/iot' | '/iot/';
export const GIN_LIST_PATHS: readonly GinListPath[] = ['/iot', '/iot/'];

/** The routes the Nest controllers register (the list is always `/iot` inside). */
const ROUTE_URLS = new Set(['/', '/iot', '/iot/create_table', '/iot/create']);

export const GIN_NOT_FOUND_BODY = '404 page not found';

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q) };
}

/** The paths Gin's router owned in the original: there every answer is Gin's. */
export function inGinNamespace(path: string): boolean {
  return path === '/' || path === '/iot' || path.startsWith('/iot/');
}

const toggleSlash = (path: string) => (path.endsWith('/') ? path.slice(0, -1) : `${path}/`);

/** As Go's html.EscapeString, which http.Redirect uses for the link in its body. */
const htmlEscape = (s: string) =>
  s.replace(
    /[&'<>"]/g,
    (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;' })[c]!,
  );

/** Nest's adapter bundles its own Fastify; its instance type is the one the app has. */
type NestFastify = ReturnType<
  NestFastifyApplication['getHttpAdapter']
>['getInstance'] extends () => infer F
  ? F
  : never;
/** The part of a reply these answers use (structural: either Fastify copy fits). */
interface Reply {
  code(status: number): Reply;
  header(name: string, value: string): Reply;
  send(payload?: string): Reply;
}

/** Go's http.Redirect: a short HTML body only for GET, a Content-Type for GET and HEAD. */
function redirect(req: { method: string }, reply: Reply, location: string): Reply {
  const code = req.method === 'GET' ? 301 : 307;
  reply.code(code).header('Location', location);
  if (req.method === 'GET' || req.method === 'HEAD') {
    reply.header('Content-Type', 'text/html; charset=utf-8');
  }
  if (req.method !== 'GET') return reply.send();
  const statusText = code === 301 ? 'Moved Permanently' : 'Temporary Redirect';
  return reply.send(`<a href="${htmlEscape(location)}">${statusText}</a>.\n\n`);
}

/** Fastify's rewriteUrl: the `/iot/` variant is served by the controller's `/iot` route. */
export function ginRewriteUrl(listPath: GinListPath) {
  return (req: { url?: string }): string => {
    const url = req.url ?? '/';
    if (listPath !== '/iot/') return url;
    const { path, query } = splitUrl(url);
    return path === '/iot/' ? `/iot${query}` : url;
  };
}

export function installGinRouter(fastify: NestFastify, listPath: GinListPath): void {
  const registered = new Set([...ROUTE_URLS].map((u) => (u === '/iot' ? listPath : u)));

  // Before @fastify/compress registers its own onRoute hook, so it sees the route option.
  fastify.addHook('onRoute', (route) => {
    if (ROUTE_URLS.has(route.url)) {
      (route as { compress?: object }).compress = { threshold: 0, encodings: ['gzip'] };
    }
  });

  fastify.addHook('onRequest', async (req, reply) => {
    const { path, query } = splitUrl(req.originalUrl);
    if (inGinNamespace(path)) {
      // The original registered GET routes only: any other method has no tree to match.
      if (req.method === 'GET') {
        if (registered.has(path)) {
          applyDefaultCors(req, reply);
          return;
        }
        if (path !== '/' && registered.has(toggleSlash(path))) {
          return redirect(req, reply, toggleSlash(path) + query);
        }
      }
      // Gin's 404 runs the global middleware, so cors answers a preflight here with 204.
      if (applyDefaultCors(req, reply) === 'preflight') return reply.code(204).send();
      return reply.code(404).header('Content-Type', 'text/plain').send(GIN_NOT_FOUND_BODY);
    }
    // Every other route keeps its own error contract; only the trailing slash is Gin's.
    if (req.is404 && path !== '/') {
      const other = toggleSlash(path);
      if (fastify.findRoute({ method: req.method as 'GET', url: other })) {
        return redirect(req, reply, other + query);
      }
    }
  });
}
