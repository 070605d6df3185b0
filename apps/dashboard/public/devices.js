/**
 * The device list: devices from the api merged with devices only heard on the live feed,
 * each with its status (the api's presence status, refreshed by live readings) and search.
 */

/**
 * @typedef {'online' | 'stale' | 'offline' | 'unknown'} DeviceStatus
 * @typedef {{ id: string, name?: string, location?: string | null, sensors?: string[],
 *   status?: string, lastSeenAt?: string | null }} ApiDevice
 * @typedef {{ id: string, name: string, location: string, sensors: string[],
 *   status: DeviceStatus, lastSeen: number | null }} DeviceRow
 */

/** A device not heard from for this long is stale, after three times as long offline. */
export const STALE_AFTER_MS = 120_000;

/**
 * @param {ApiDevice[]} apiDevices
 * @param {Map<string, number>} liveSeen device id -> newest reading ts on the live feed
 * @param {Map<string, string[]>} liveSensors device id -> sensors seen live
 * @param {number} now
 * @param {number} [staleMs]
 * @returns {DeviceRow[]}
 */
export function deviceRows(apiDevices, liveSeen, liveSensors, now, staleMs = STALE_AFTER_MS) {
  /** @type {Map<string, DeviceRow>} */
  const rows = new Map();
  for (const d of apiDevices) {
    if (!d || typeof d.id !== 'string') continue;
    const apiSeen = d.lastSeenAt ? Date.parse(d.lastSeenAt) : NaN;
    const live = liveSeen.get(d.id);
    const lastSeen = maxDefined(Number.isFinite(apiSeen) ? apiSeen : undefined, live);
    rows.set(d.id, {
      id: d.id,
      name: d.name || d.id,
      location: d.location ?? '',
      sensors: [...new Set([...(d.sensors ?? []), ...(liveSensors.get(d.id) ?? [])])].sort(),
      status: statusOf(asStatus(d.status), lastSeen, live, now, staleMs),
      lastSeen,
    });
  }
  for (const [id, ts] of liveSeen) {
    if (rows.has(id)) continue;
    rows.set(id, {
      id,
      name: id,
      location: '',
      sensors: [...(liveSensors.get(id) ?? [])].sort(),
      status: statusOf('unknown', ts, ts, now, staleMs),
      lastSeen: ts,
    });
  }
  return [...rows.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The api knows presence (the retained status topic); a live reading newer than its view
 * proves the device is online now, and silence makes it stale, then offline.
 * @param {DeviceStatus} apiStatus @param {number | null} lastSeen
 * @param {number | undefined} live @param {number} now @param {number} staleMs
 * @returns {DeviceStatus}
 */
export function statusOf(apiStatus, lastSeen, live, now, staleMs) {
  if (live !== undefined && now - live < staleMs) return 'online';
  if (apiStatus === 'offline') return 'offline';
  if (lastSeen === null) return apiStatus;
  const age = now - lastSeen;
  if (age < staleMs) return apiStatus === 'unknown' ? 'online' : apiStatus;
  return age < 3 * staleMs ? 'stale' : 'offline';
}

/**
 * Case-insensitive match on id, name, location and sensors; every word must match.
 * @param {DeviceRow[]} rows @param {string} query
 */
export function searchDevices(rows, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((r) => {
    const hay = `${r.id} ${r.name} ${r.location} ${r.status} ${r.sensors.join(' ')}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** @param {unknown} s @returns {DeviceStatus} */
function asStatus(s) {
  return s === 'online' || s === 'stale' || s === 'offline' ? s : 'unknown';
}

/** @param {number | undefined} a @param {number | undefined} b */
function maxDefined(a, b) {
  if (a === undefined) return b ?? null;
  if (b === undefined) return a;
  return Math.max(a, b);
}
