/**
 * The backend-independent part of compilation: rule slots, the per-device state layout and
 * the evaluation plans (which slots run, in which order, for a device and sensor).
 */
import type { Condition, Rule, RuleSet, SensorKind } from '@iotmon/domain';

export interface Slot {
  index: number;
  rule: Rule;
  sensor: number;
  /** Identity across swaps: id, sensor, devices and the rule's semantics (not its wording). */
  key: string;
  /** Start of this slot's state in a device's block; the first cell is the active flag. */
  offset: number;
  size: number;
}

export interface Program {
  ruleSet: RuleSet;
  /** The catalogue's kind ids; a kind's position is its sensor index. */
  sensors: readonly SensorKind[];
  sensorCount: number;
  slots: Slot[];
  /** State cells per device. */
  stride: number;
  /** Plan id -> slot indexes in evaluation order; plan `s` is the default for sensor `s`. */
  plans: number[][];
  /** Staleness slots of each plan, for tick(). */
  staleSlots: number[][];
  /** Plan ids per sensor for devices named in an override; others use the defaults. */
  overridePlans: Map<string, Int32Array>;
}

/** State cells a condition needs, laid out depth-first in the order of `conditions`. */
export function conditionSize(c: Condition): number {
  switch (c.kind) {
    case 'threshold':
    case 'band':
      return 0;
    case 'rate':
    case 'anomaly':
      return 3;
    case 'window':
      if (c.tumbling) return c.ms !== undefined ? 6 : 5;
      return c.samples !== undefined ? 2 + c.samples : 2 + 2 * (c.maxSamples ?? 0);
    case 'any':
    case 'all':
      return c.conditions.reduce((n, x) => n + conditionSize(x), 0);
  }
}

/** Debounce keeps [true run, true since, false run, false since] after the active flag. */
export const DEBOUNCE_CELLS = 4;

export function ruleSize(r: Rule): number {
  switch (r.kind) {
    case 'hysteresis':
    case 'staleness':
      return 1;
    case 'debounce':
      return 1 + DEBOUNCE_CELLS + conditionSize(r.condition);
    default:
      return 1 + conditionSize(r);
  }
}

/** JSON with sorted keys, so equal rules give equal strings whatever their key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function slotKey(r: Rule): string {
  const { severity: _s, message: _m, ...semantics } = r;
  return canonical(semantics);
}

/** Rule ids of a sensor in order of first appearance, each with its generic rule if any. */
function idsBySensor(
  slots: Slot[],
  sensorCount: number,
): Map<string, { generic?: Slot; overrides: Slot[] }>[] {
  const out = Array.from(
    { length: sensorCount },
    () => new Map<string, { generic?: Slot; overrides: Slot[] }>(),
  );
  for (const slot of slots) {
    const ids = out[slot.sensor];
    const entry = ids.get(slot.rule.id) ?? { overrides: [] };
    ids.set(slot.rule.id, entry);
    if (slot.rule.devices) entry.overrides.push(slot);
    else entry.generic = slot;
  }
  return out;
}

/** Compiles a rule set validated against `sensors` into slots, layout and plans. */
export function buildProgram(ruleSet: RuleSet, sensors: readonly SensorKind[]): Program {
  const sensorCount = sensors.length;
  const sensorAt = new Map(sensors.map((k, i) => [k, i]));
  let stride = 0;
  const slots = ruleSet.rules.map((rule, index): Slot => {
    const size = ruleSize(rule);
    const slot = {
      index,
      rule,
      sensor: sensorAt.get(rule.sensor)!,
      key: slotKey(rule),
      offset: stride,
      size,
    };
    stride += size;
    return slot;
  });
  const bySensor = idsBySensor(slots, sensorCount);
  const plans: number[][] = [];
  const planIds = new Map<string, number>();
  const planFor = (slotIndexes: number[]): number => {
    const key = slotIndexes.join(',');
    let id = planIds.get(key);
    if (id === undefined) {
      id = plans.length;
      plans.push(slotIndexes);
      planIds.set(key, id);
    }
    return id;
  };
  const pick = (sensor: number, deviceId: string | null): number[] => {
    const chosen: number[] = [];
    for (const entry of bySensor[sensor].values()) {
      const own =
        deviceId === null
          ? undefined
          : entry.overrides.find((o) => o.rule.devices!.includes(deviceId));
      const slot = own ?? entry.generic;
      if (slot) chosen.push(slot.index);
    }
    return chosen;
  };
  // Default plans first, one per sensor, so that plan id == sensor index for them.
  for (let s = 0; s < sensorCount; s++) {
    const key = `default:${s}`;
    plans.push(pick(s, null));
    planIds.set(key, s);
  }
  const overridePlans = new Map<string, Int32Array>();
  for (const slot of slots) {
    for (const deviceId of slot.rule.devices ?? []) {
      if (overridePlans.has(deviceId)) continue;
      overridePlans.set(
        deviceId,
        Int32Array.from(sensors, (_k, s) => planFor(pick(s, deviceId))),
      );
    }
  }
  const staleSlots = plans.map((p) => p.filter((i) => slots[i].rule.kind === 'staleness'));
  return {
    ruleSet,
    sensors,
    sensorCount,
    slots,
    stride: Math.max(stride, 1),
    plans,
    staleSlots,
    overridePlans,
  };
}
