/**
 * How severities, alarm states, values and times are shown. Severity is never told by colour
 * alone: each has a text label and an icon as well (the issue's accessibility requirement).
 */

/** @typedef {'info' | 'warning' | 'critical'} Severity */
/** @typedef {'active' | 'acknowledged' | 'cleared' | 'shelved'} AlarmState */

/** @type {Record<Severity, { label: string, icon: string, rank: number }>} */
const SEVERITY = {
  info: { label: 'Info', icon: 'ℹ', rank: 1 },
  warning: { label: 'Warning', icon: '⚠', rank: 2 },
  critical: { label: 'Critical', icon: '✖', rank: 3 },
};

/** @type {Record<AlarmState, { label: string, icon: string }>} */
const STATE = {
  active: { label: 'Active', icon: '●' },
  acknowledged: { label: 'Acknowledged', icon: '✓' },
  shelved: { label: 'Shelved', icon: '⏸' },
  cleared: { label: 'Cleared', icon: '○' },
};

/** @typedef {{ id: string, displayName: string, unit: string, decimals: number }} SensorKind */

/**
 * The sensor-kinds catalogue as the page last loaded it (GET /dashboard/config.json, which
 * alerting fills from PostgreSQL): units, names and decimals come from here, not the code.
 * @type {Map<string, SensorKind>}
 */
let kinds = new Map();

/** @param {SensorKind[]} list */
export function useKinds(list) {
  kinds = new Map(list.map((k) => [k.id, k]));
}

/** @param {string} sensor */
export function knowsKind(sensor) {
  return kinds.has(sensor);
}

/**
 * Label, icon, CSS class and rank of a severity; unknown values are shown as they are.
 * @param {string} severity
 */
export function severityInfo(severity) {
  const s = Object.prototype.hasOwnProperty.call(SEVERITY, severity)
    ? SEVERITY[/** @type {Severity} */ (severity)]
    : { label: String(severity), icon: '?', rank: 0 };
  return { ...s, className: `sev-${/^[a-z]+$/.test(severity) ? severity : 'unknown'}` };
}

/** @param {string} state */
export function stateInfo(state) {
  const s = Object.prototype.hasOwnProperty.call(STATE, state)
    ? STATE[/** @type {AlarmState} */ (state)]
    : { label: String(state), icon: '?' };
  return { ...s, className: `state-${/^[a-z]+$/.test(state) ? state : 'unknown'}` };
}

/** @param {string} sensor */
export function unitOf(sensor) {
  return kinds.get(sensor)?.unit ?? '';
}

/** @param {string} sensor */
export function sensorLabel(sensor) {
  const kind = kinds.get(sensor);
  if (kind) return kind.displayName;
  const words = sensor.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A value with its unit and its kind's decimals (a sensible number for an unknown kind).
 * @param {number | null | undefined} value @param {string} sensor
 */
export function formatValue(value, sensor) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = kinds.get(sensor)?.decimals ?? (abs >= 1000 ? 0 : abs >= 100 ? 1 : 2);
  const unit = unitOf(sensor);
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/**
 * "12 s ago", "3 min ago", "2 h ago", "4 d ago"; "never" without a time.
 * @param {number | string | null | undefined} time epoch ms or ISO-8601
 * @param {number} now
 */
export function formatAgo(time, now) {
  const t = typeof time === 'string' ? Date.parse(time) : time;
  if (typeof t !== 'number' || !Number.isFinite(t)) return 'never';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/**
 * HH:MM:SS in UTC (the platform's time zone for every timestamp).
 * @param {number | string} time
 */
export function formatClock(time) {
  const d = new Date(time);
  return Number.isNaN(d.getTime()) ? '–' : d.toISOString().slice(11, 19);
}
