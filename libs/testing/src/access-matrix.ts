/**
 * The authorization matrix: every registered route of an app × every kind of caller → the
 * status it must answer. Routes are collected from the app itself (Fastify's onRoute), so a
 * route without an entry fails the test; how to add one: docs/security.md.
 */
export const IDENTITIES = [
  'anonymous',
  'viewer',
  'operator',
  'admin',
  'deviceKey',
  'otherDeviceKey',
] as const;
export type Identity = (typeof IDENTITIES)[number];

/**
 * Who may call a route: `device` routes are admin routes a device key may call for its own
 * device (`deviceKey` acts on its own device in the sample request, `otherDeviceKey` on
 * someone else's).
 */
export type AccessClass = 'public' | 'viewer' | 'operator' | 'admin' | 'device';

export interface MatrixEntry {
  access: AccessClass;
  /** The request URL (route parameters filled in); default: the route's own path. */
  url?: string;
  body?: unknown;
  /**
   * What an allowed caller gets for this sample request, e.g. 200, or a 404 or 400 chosen so
   * that the request changes nothing (the guard runs before validation and the handler).
   */
  ok: number;
  /** Exceptions to the statuses the access class implies. */
  expect?: Partial<Record<Identity, number>>;
}

/** `"METHOD /path/:param"` → entry. */
export type AccessMatrix = Record<string, MatrixEntry>;

const DENIED: Record<AccessClass, Partial<Record<Identity, 401 | 403>>> = {
  public: {},
  viewer: { anonymous: 401, deviceKey: 403, otherDeviceKey: 403 },
  operator: { anonymous: 401, viewer: 403, deviceKey: 403, otherDeviceKey: 403 },
  admin: { anonymous: 401, viewer: 403, operator: 403, deviceKey: 403, otherDeviceKey: 403 },
  device: { anonymous: 401, viewer: 403, operator: 403, otherDeviceKey: 403 },
};

export function expectedStatus(e: MatrixEntry, who: Identity): number {
  return e.expect?.[who] ?? DENIED[e.access][who] ?? e.ok;
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Collects routes as the app registers them; call before `app.init()`. HEAD routes Fastify
 * adds for every GET are left out (they answer as their GET).
 */
export function collectRoutes(fastify: {
  addHook(name: 'onRoute', fn: (r: { method: string | string[]; url: string }) => void): unknown;
}): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  fastify.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method]) {
      if (method !== 'HEAD') routes.push({ method, url: r.url });
    }
  });
  return routes;
}

export const routeKey = (r: RegisteredRoute) => `${r.method} ${r.url}`;

export interface MatrixResult {
  /** Registered routes without an entry. */
  missing: string[];
  /** Entries for routes that no longer exist. */
  stale: string[];
  /** `METHOD /path as identity: expected X, got Y`. */
  mismatches: string[];
  /** How many requests were checked. */
  checked: number;
}

/** Registered routes without an entry, and entries for routes that no longer exist. */
export function matrixCoverage(
  routes: RegisteredRoute[],
  matrix: AccessMatrix,
): Pick<MatrixResult, 'missing' | 'stale'> {
  const keys = new Set(routes.map(routeKey));
  return {
    missing: [...keys].filter((k) => !(k in matrix)).sort(),
    stale: Object.keys(matrix)
      .filter((k) => !keys.has(k))
      .sort(),
  };
}

export async function runAccessMatrix(
  routes: RegisteredRoute[],
  matrix: AccessMatrix,
  send: (method: string, url: string, body: unknown, who: Identity) => Promise<number>,
): Promise<MatrixResult> {
  const keys = new Set(routes.map(routeKey));
  const { missing, stale } = matrixCoverage(routes, matrix);
  const mismatches: string[] = [];
  let checked = 0;
  for (const key of [...keys].sort()) {
    const e = matrix[key];
    if (!e) continue;
    const [method, path] = key.split(' ');
    for (const who of IDENTITIES) {
      const want = expectedStatus(e, who);
      const got = await send(method, e.url ?? path, e.body, who);
      checked++;
      if (got !== want) mismatches.push(`${key} as ${who}: expected ${want}, got ${got}`);
    }
  }
  return { missing, stale, mismatches, checked };
}
