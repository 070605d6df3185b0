/**
 * Rule-set validation. Returns a fresh, normalised copy (the caller's object is never kept)
 * or every fault found, each with the path of the bad field (`rules[3].value`).
 */
import {
  COMPARISON_OPS,
  isDeviceId,
  BUILT_IN_CATALOGUE,
  RULE_SET_VERSION,
  SEVERITIES,
  WINDOW_AGGREGATES,
  type Condition,
  type Hold,
  type Rule,
  type RuleSet,
  type RuleSpec,
  type SensorKind,
} from '@iotmon/domain';

import { Checker, type Obj, type ValidationError } from './validate-fields';

export type { ValidationError } from './validate-fields';

export type ValidationResult =
  { ok: true; ruleSet: RuleSet } | { ok: false; errors: ValidationError[] };

export const LIMITS = {
  rules: 1024,
  conditions: 16,
  depth: 4,
  windowSamples: 4096,
  defaultMaxSamples: 64,
  /** A month: longer windows or holds are almost certainly a unit mistake. */
  maxMs: 31 * 24 * 3600 * 1000,
  messageLength: 256,
} as const;

const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const HEADER = ['id', 'sensor', 'devices', 'severity', 'message', 'kind'];
const MS = { above: 0, max: LIMITS.maxMs };

function condition(c: Checker, v: unknown, path: string, depth: number): Condition | undefined {
  const o = c.object(v, path);
  if (!o) return undefined;
  const kind = o['kind'];
  switch (kind) {
    case 'threshold':
    case 'band':
    case 'rate':
    case 'window':
    case 'anomaly':
      c.keys(o, path, ['kind', ...FIELDS[kind]]);
      return leaf(c, o, path);
    case 'any':
    case 'all': {
      c.keys(o, path, ['kind', 'conditions']);
      if (depth >= LIMITS.depth) return c.fail(path, `nests deeper than ${LIMITS.depth} levels`);
      const items = c.array(o, 'conditions', path, 1, LIMITS.conditions);
      if (!items) return undefined;
      const conditions = items.map((x, i) =>
        condition(c, x, `${path}.conditions[${i}]`, depth + 1),
      );
      return conditions.every((x) => x !== undefined)
        ? { kind, conditions: conditions as Condition[] }
        : undefined;
    }
    default:
      return c.fail(
        `${path}.kind`,
        'must be one of threshold, band, rate, window, anomaly, any, all',
      );
  }
}

const FIELDS = {
  threshold: ['op', 'value'],
  band: ['mode', 'low', 'high'],
  rate: ['limit'],
  window: ['aggregate', 'samples', 'ms', 'tumbling', 'maxSamples', 'op', 'value'],
  anomaly: ['alpha', 'k', 'warmup'],
  hysteresis: ['direction', 'raiseAt', 'clearAt'],
  debounce: ['condition', 'raise', 'clear'],
  staleness: ['ms'],
} as const;

function leaf(c: Checker, o: Obj, path: string): Condition | undefined {
  const n0 = c.errors.length;
  const ok = <T>(x: T): T | undefined => (c.errors.length === n0 ? x : undefined);
  switch (o['kind']) {
    case 'threshold': {
      const op = c.oneOf(o, 'op', path, COMPARISON_OPS);
      const value = c.number(o, 'value', path);
      return ok({ kind: 'threshold', op: op!, value: value! });
    }
    case 'band': {
      const mode = c.oneOf(o, 'mode', path, ['inside', 'outside'] as const);
      const low = c.number(o, 'low', path);
      const high = c.number(o, 'high', path);
      if (low !== undefined && high !== undefined && low > high) {
        c.fail(`${path}.high`, 'must be at least low');
      }
      return ok({ kind: 'band', mode: mode!, low: low!, high: high! });
    }
    case 'rate': {
      const limit = c.number(o, 'limit', path, { min: 0 });
      return ok({ kind: 'rate', limit: limit! });
    }
    case 'anomaly': {
      const alpha = c.number(o, 'alpha', path, { above: 0, max: 1 });
      const k = c.number(o, 'k', path, { above: 0 });
      const warmup = c.number(o, 'warmup', path, { integer: true, min: 1, max: 1e6 });
      return ok({ kind: 'anomaly', alpha: alpha!, k: k!, warmup: warmup! });
    }
    default:
      return windowCondition(c, o, path, ok);
  }
}

function windowCondition(
  c: Checker,
  o: Obj,
  path: string,
  ok: <T>(x: T) => T | undefined,
): Condition | undefined {
  const aggregate = c.oneOf(o, 'aggregate', path, WINDOW_AGGREGATES);
  const span = { integer: true, min: 1, max: LIMITS.windowSamples, optional: true };
  const samples = c.number(o, 'samples', path, span);
  const ms = c.number(o, 'ms', path, { ...MS, optional: true });
  if ((o['samples'] === undefined) === (o['ms'] === undefined)) {
    c.fail(`${path}.samples`, 'exactly one of samples and ms is required');
  }
  if (aggregate === 'count' && o['samples'] !== undefined) {
    c.fail(`${path}.aggregate`, 'count needs an ms window (a sample window always counts N)');
  }
  const tumbling = c.boolean(o, 'tumbling', path) ?? false;
  const maxSamples = c.number(o, 'maxSamples', path, span);
  if (maxSamples !== undefined && (ms === undefined || tumbling)) {
    c.fail(`${path}.maxSamples`, 'only applies to a sliding ms window');
  }
  const op = c.oneOf(o, 'op', path, COMPARISON_OPS);
  const value = c.number(o, 'value', path);
  const out: Condition = { kind: 'window', aggregate: aggregate!, op: op!, value: value! };
  if (samples !== undefined) out.samples = samples;
  if (ms !== undefined) out.ms = ms;
  if (tumbling) out.tumbling = true;
  if (ms !== undefined && !tumbling) out.maxSamples = maxSamples ?? LIMITS.defaultMaxSamples;
  return ok(out);
}

function hold(c: Checker, v: unknown, path: string): Hold | undefined {
  const o = c.object(v, path);
  if (!o) return undefined;
  c.keys(o, path, ['samples', 'ms']);
  const samples = c.number(o, 'samples', path, { integer: true, min: 1, max: 1e6, optional: true });
  const ms = c.number(o, 'ms', path, { min: 0, max: LIMITS.maxMs, optional: true });
  if ((o['samples'] === undefined) === (o['ms'] === undefined)) {
    return c.fail(`${path}.samples`, 'exactly one of samples and ms is required');
  }
  return samples !== undefined ? { samples } : ms !== undefined ? { ms } : undefined;
}

function spec(c: Checker, o: Obj, path: string): RuleSpec | undefined {
  const kind = o['kind'];
  if (kind === 'hysteresis' || kind === 'debounce' || kind === 'staleness') {
    c.keys(o, path, [...HEADER, ...FIELDS[kind]]);
  }
  const n0 = c.errors.length;
  switch (kind) {
    case 'hysteresis': {
      const direction = c.oneOf(o, 'direction', path, ['above', 'below'] as const);
      const raiseAt = c.number(o, 'raiseAt', path);
      const clearAt = c.number(o, 'clearAt', path);
      if (direction === 'above' && raiseAt! < clearAt!) {
        c.fail(`${path}.clearAt`, 'must be at most raiseAt for direction above');
      }
      if (direction === 'below' && raiseAt! > clearAt!) {
        c.fail(`${path}.clearAt`, 'must be at least raiseAt for direction below');
      }
      return c.errors.length === n0
        ? { kind, direction: direction!, raiseAt: raiseAt!, clearAt: clearAt! }
        : undefined;
    }
    case 'debounce': {
      const cond = condition(c, o['condition'], `${path}.condition`, 1);
      const raise = hold(c, o['raise'], `${path}.raise`);
      const clear = o['clear'] === undefined ? undefined : hold(c, o['clear'], `${path}.clear`);
      if (c.errors.length !== n0) return undefined;
      return clear
        ? { kind, condition: cond!, raise: raise!, clear }
        : { kind, condition: cond!, raise: raise! };
    }
    case 'staleness': {
      const ms = c.number(o, 'ms', path, MS);
      return ms === undefined ? undefined : { kind, ms };
    }
    default: {
      // A condition kind at rule level: its fields sit beside the header fields.
      const copy: Obj = { kind };
      for (const key of Object.keys(o)) if (!HEADER.includes(key)) copy[key] = o[key];
      return condition(c, copy, path, 1);
    }
  }
}

function rule(
  c: Checker,
  v: unknown,
  path: string,
  sensors: readonly SensorKind[],
): Rule | undefined {
  const o = c.object(v, path);
  if (!o) return undefined;
  const n0 = c.errors.length;
  const id = c.string(o, 'id', path, RULE_ID, 'must be 1-128 characters of A-Z a-z 0-9 _ . : -');
  const sensor = c.oneOf(o, 'sensor', path, sensors);
  const severity = c.oneOf(o, 'severity', path, SEVERITIES);
  const message = o['message'];
  if (
    message !== undefined &&
    (typeof message !== 'string' || message.length > LIMITS.messageLength)
  ) {
    c.fail(`${path}.message`, `must be a string of at most ${LIMITS.messageLength} characters`);
  }
  let devices: string[] | undefined;
  if (o['devices'] !== undefined) {
    const list = c.array(o, 'devices', path, 1, 10_000);
    list?.forEach((d, i) => {
      if (!isDeviceId(d)) c.fail(`${path}.devices[${i}]`, 'must be a device id');
      else if (list.indexOf(d) !== i) c.fail(`${path}.devices[${i}]`, 'is listed twice');
    });
    devices = list as string[];
  }
  const s = spec(c, o, path);
  if (c.errors.length !== n0 || !s) return undefined;
  const header = { id: id!, sensor: sensor!, severity: severity! };
  const out = { ...header, ...s } as Rule;
  if (devices) out.devices = [...devices];
  if (typeof message === 'string') out.message = message;
  return out;
}

/** Same id: same sensor, one generic rule at most, a device in one override at most. */
function checkOverrides(c: Checker, rules: (Rule | undefined)[]): void {
  const seen = new Map<string, { sensor: string; generic: boolean; devices: Set<string> }>();
  rules.forEach((r, i) => {
    if (!r) return;
    const entry = seen.get(r.id) ?? { sensor: r.sensor, generic: false, devices: new Set() };
    seen.set(r.id, entry);
    if (entry.sensor !== r.sensor) {
      c.fail(`rules[${i}].sensor`, `rule ${r.id} is already defined for ${entry.sensor}`);
    } else if (!r.devices) {
      if (entry.generic) c.fail(`rules[${i}].id`, `duplicate rule id ${r.id}`);
      entry.generic = true;
    } else {
      r.devices.forEach((d, j) => {
        if (entry.devices.has(d)) {
          c.fail(`rules[${i}].devices[${j}]`, `device already has an override of ${r.id}`);
        }
        entry.devices.add(d);
      });
    }
  });
}

/** Validates a rule set whose rules may name the kinds in `sensors` (the catalogue's ids). */
export function validateRuleSet(
  json: unknown,
  sensors: readonly SensorKind[] = BUILT_IN_CATALOGUE.ids,
): ValidationResult {
  const c = new Checker();
  const o = c.object(json, '$');
  if (!o) return { ok: false, errors: c.errors };
  c.keys(o, '', ['version', 'name', 'rules']);
  if (o['version'] !== RULE_SET_VERSION) c.fail('version', `must be ${RULE_SET_VERSION}`);
  if (o['name'] !== undefined && typeof o['name'] !== 'string') c.fail('name', 'must be a string');
  const list = Array.isArray(o['rules']) ? o['rules'] : undefined;
  if (!list) c.fail('rules', 'must be an array');
  else if (list.length > LIMITS.rules) c.fail('rules', `must hold at most ${LIMITS.rules} rules`);
  const rules = (list ?? [])
    .slice(0, LIMITS.rules)
    .map((r, i) => rule(c, r, `rules[${i}]`, sensors));
  checkOverrides(c, rules);
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  const ruleSet: RuleSet = { version: RULE_SET_VERSION, rules: rules as Rule[] };
  if (typeof o['name'] === 'string') ruleSet.name = o['name'];
  return { ok: true, ruleSet };
}
