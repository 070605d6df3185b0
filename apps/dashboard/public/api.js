/* global URLSearchParams */
import { fetchAsUser } from './session.js';
/**
 * The page's HTTP calls: alarms on this origin (/alerts), devices and readings through the
 * alerting app's proxy of the api (/dashboard/api/...).
 */

/**
 * @typedef {import('./live-store.js').Reading} Reading
 * @typedef {import('./alarm-store.js').AlarmView} AlarmView
 * @typedef {import('./alarm-store.js').AlarmChangeEvent} AlarmChangeEvent
 * @typedef {import('./devices.js').ApiDevice} ApiDevice
 * @typedef {{ window: number, apiBase: string, ruleSet: import('@iotmon/domain').RuleSet, kinds: import('./format.js').SensorKind[] }} PageConfig
 */

export class HttpError extends Error {
  /** @param {number} status @param {string} message @param {string} [code] @param {string} [field] */
  constructor(status, message, code, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/**
 * @param {string} url @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
async function request(url, init) {
  const res = await fetchAsUser(url, {
    ...init,
    headers: { accept: 'application/json', ...init?.headers },
  });
  if (!res.ok) {
    // Both apps answer errors with server-kit's one body: {statusCode, code, message, field?, errors?, correlationId}.
    /** @type {{ code?: string, message?: string, field?: string } | undefined} */
    let body;
    try {
      body = await res.json();
    } catch {
      /* not JSON (a proxy in between) */
    }
    const message =
      typeof body?.message === 'string' ? body.message : `${res.status} ${res.statusText}`;
    throw new HttpError(res.status, message, body?.code, body?.field);
  }
  return res;
}

/** @param {Record<string, string | number | undefined>} q */
function query(q) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** @returns {Promise<PageConfig>} */
export async function loadConfig() {
  return (await request('/dashboard/config.json')).json();
}

/**
 * Every device the api knows (first 1,000); an empty list when the api has no /devices.
 * @param {string} base
 * @returns {Promise<ApiDevice[]>}
 */
export async function loadDevices(base) {
  try {
    const body = await (await request(`${base}/devices${query({ limit: 1000 })}`)).json();
    return Array.isArray(body) ? body : Array.isArray(body?.items) ? body.items : [];
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return [];
    throw e;
  }
}

/**
 * Aggregated history of one sensor for the chart's start, thinned by the api to maxPoints.
 * @param {string} base
 * @param {{ deviceId: string, sensor: string, from: number, to: number, maxPoints: number }} q
 * @returns {Promise<{ ts: number, value: number }[]>}
 */
export async function loadHistory(base, q) {
  const body = await (
    await request(
      `${base}/readings/aggregate${query({
        deviceId: q.deviceId,
        sensor: q.sensor,
        bucket: '10s',
        fn: 'avg',
        from: new Date(q.from).toISOString(),
        to: new Date(q.to).toISOString(),
        maxPoints: q.maxPoints,
      })}`,
    )
  ).json();
  return Array.isArray(body?.points) ? body.points : [];
}

/**
 * Raw readings stored since `from` (all devices), following the api's cursor pages.
 * @param {string} base @param {number} from epoch ms @param {number} [maxPages]
 * @returns {AsyncGenerator<Reading[]>}
 */
export async function* readingsSince(base, from, maxPages = 50) {
  let cursor;
  for (let page = 0; page < maxPages; page++) {
    const res = await request(
      `${base}/readings${query({ from: new Date(from).toISOString(), limit: 1000, cursor })}`,
    );
    yield await res.json();
    cursor = res.headers.get('x-next-cursor') ?? undefined;
    if (!cursor) return;
  }
}

/**
 * The newest alarm episodes (every state), for the feed's start and after a reconnect.
 * @returns {Promise<AlarmView[]>}
 */
export async function loadAlarms() {
  const body = await (await request(`/alerts${query({ limit: 200 })}`)).json();
  return Array.isArray(body?.items) ? body.items : [];
}

/**
 * POST /alerts/:id/ack or /clear, as the signed-in user (the server records who).
 * @param {string} id @param {'ack' | 'clear'} action
 * @returns {Promise<AlarmChangeEvent>}
 */
export async function alarmAction(id, action) {
  const res = await request(`/alerts/${encodeURIComponent(id)}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return res.json();
}
