/**
 * The sensor-kinds catalogue on the config topic: each kind without its default rules (the
 * rule set in the same message already holds the rules that apply). Decoded by devices.
 */
import { isSensorKindId, SensorCatalogue, type SensorKindSpec } from './sensors';

export type WireSensorKind = Omit<SensorKindSpec, 'defaultRules'>;

export const KIND_LIMITS = {
  kinds: 1024,
  displayName: 64,
  unit: 16,
  decimals: 6,
} as const;

export function toWireKinds(c: SensorCatalogue): WireSensorKind[] {
  return c.kinds.map(({ id, displayName, unit, min, max, decimals }) => ({
    id,
    displayName,
    unit,
    min,
    max,
    decimals,
  }));
}

const FIELDS = new Set(['id', 'displayName', 'unit', 'min', 'max', 'decimals']);

/** Checks one wire kind; returns the first fault as `field reason`. */
function checkKind(v: unknown): WireSensorKind | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be an object';
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!FIELDS.has(key)) return `${key} is not a known field`;
  if (!isSensorKindId(o['id']))
    return 'id must be a-z, 0-9 and _, starting with a letter, 1-32 long';
  const text = (key: string, max: number) =>
    typeof o[key] === 'string' &&
    (o[key] as string).length >= 1 &&
    (o[key] as string).length <= max;
  if (!text('displayName', KIND_LIMITS.displayName))
    return `displayName must be 1-${KIND_LIMITS.displayName} characters`;
  if (!text('unit', KIND_LIMITS.unit)) return `unit must be 1-${KIND_LIMITS.unit} characters`;
  const { min, max, decimals } = o;
  if (typeof min !== 'number' || !Number.isFinite(min)) return 'min must be a finite number';
  if (typeof max !== 'number' || !Number.isFinite(max)) return 'max must be a finite number';
  if (!(min < max)) return 'max must be greater than min';
  if (!Number.isInteger(decimals) || (decimals as number) < 0 || (decimals as number) > 6)
    return `decimals must be an integer from 0 to ${KIND_LIMITS.decimals}`;
  return {
    id: o['id'] as string,
    displayName: o['displayName'] as string,
    unit: o['unit'] as string,
    min,
    max,
    decimals: decimals as number,
  };
}

/** Decodes the `kinds` of a config message into a catalogue, or says what is wrong. */
export function decodeWireKinds(v: unknown): SensorCatalogue | { error: string } {
  if (!Array.isArray(v) || v.length > KIND_LIMITS.kinds) {
    return { error: `kinds must be an array of at most ${KIND_LIMITS.kinds} sensor kinds` };
  }
  const kinds: SensorKindSpec[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < v.length; i++) {
    const k = checkKind(v[i]);
    if (typeof k === 'string') return { error: `kinds[${i}].${k}` };
    if (seen.has(k.id)) return { error: `kinds[${i}].id ${k.id} is listed twice` };
    seen.add(k.id);
    kinds.push({ ...k, defaultRules: [] });
  }
  return new SensorCatalogue(kinds);
}

/** JSON with sorted keys: equal catalogues give equal strings (jsonb reorders keys). */
export function catalogueFingerprint(kinds: readonly SensorKindSpec[]): string {
  const canonical = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
    if (x !== null && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      return `{${Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
        .join(',')}}`;
    }
    return JSON.stringify(x);
  };
  return canonical(kinds);
}
