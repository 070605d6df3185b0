/**
 * Reference interpreter: the rule semantics written plainly (objects, arrays, recursion),
 * slow and obviously correct. Property tests check the compiled evaluator against it.
 */
import {
  BUILT_IN_CATALOGUE,
  type ComparisonOp,
  type Condition,
  type Hold,
  type Reading,
  type Rule,
  type RuleSet,
  type SensorKind,
} from '@iotmon/domain';

import type { Transition } from './transitions';

interface CondState {
  prev?: { v: number; t: number };
  n: number;
  mean: number;
  variance: number;
  values: { v: number; t: number }[];
  sum: number;
  min: number;
  max: number;
  verdict: boolean;
  bucket: number;
  children: CondState[];
}

interface RuleState {
  active: boolean;
  cond: CondState;
  trueRun: number;
  trueSince: number;
  falseRun: number;
  falseSince: number;
}

function newCondState(c: Condition | undefined): CondState {
  const children =
    c && (c.kind === 'any' || c.kind === 'all') ? c.conditions.map(newCondState) : [];
  return {
    n: 0,
    mean: 0,
    variance: 0,
    values: [],
    sum: 0,
    min: 0,
    max: 0,
    verdict: false,
    bucket: 0,
    children,
  };
}

export function compare(op: ComparisonOp, a: number, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function aggregate(kind: string, values: number[]): number {
  if (kind === 'count') return values.length;
  if (kind === 'avg') return values.reduce((a, x) => a + x, 0) / values.length;
  return kind === 'min' ? Math.min(...values) : Math.max(...values);
}

function evalCondition(c: Condition, st: CondState, t: number, v: number): boolean {
  switch (c.kind) {
    case 'threshold':
      return compare(c.op, v, c.value);
    case 'band':
      return c.mode === 'inside' ? c.low <= v && v <= c.high : v < c.low || v > c.high;
    case 'rate': {
      const r =
        st.prev !== undefined && (Math.abs(v - st.prev.v) / (t - st.prev.t)) * 1000 > c.limit;
      st.prev = { v, t };
      return r;
    }
    case 'anomaly': {
      // z = |v - mean| / sd > k, written as (v - mean)^2 > k^2 * variance.
      let r = false;
      if (st.n === 0) {
        st.mean = v;
        st.variance = 0;
      } else {
        const diff = v - st.mean;
        if (st.n >= c.warmup && st.variance > 0) r = diff * diff > c.k * c.k * st.variance;
        const incr = c.alpha * diff;
        st.mean = st.mean + incr;
        st.variance = (1 - c.alpha) * (st.variance + diff * incr);
      }
      st.n = Math.min(st.n + 1, c.warmup);
      return r;
    }
    case 'window':
      return evalWindow(c, st, t, v);
    case 'any':
    case 'all': {
      const results = c.conditions.map((child, i) => evalCondition(child, st.children[i], t, v));
      return c.kind === 'any' ? results.some(Boolean) : results.every(Boolean);
    }
  }
}

function evalWindow(
  c: Condition & { kind: 'window' },
  st: CondState,
  t: number,
  v: number,
): boolean {
  if (c.tumbling) {
    const close = () => {
      const values = [st.sum / st.n, st.min, st.max, st.n];
      st.verdict = compare(
        c.op,
        values[['avg', 'min', 'max', 'count'].indexOf(c.aggregate)],
        c.value,
      );
      st.n = 0;
    };
    if (c.ms !== undefined) {
      const bucket = Math.floor(t / c.ms);
      if (st.n > 0 && bucket !== st.bucket) close();
      if (st.n === 0) st.bucket = bucket;
    }
    st.sum = st.n === 0 ? v : st.sum + v;
    st.min = st.n === 0 ? v : Math.min(st.min, v);
    st.max = st.n === 0 ? v : Math.max(st.max, v);
    st.n++;
    if (c.samples !== undefined && st.n === c.samples) close();
    return st.verdict;
  }
  if (c.samples !== undefined) {
    st.values.push({ v, t });
    if (st.values.length > c.samples) st.values.shift();
    if (st.values.length < c.samples) return false;
  } else {
    st.values = st.values.filter((e) => e.t > t - c.ms!);
    if (st.values.length === c.maxSamples) st.values.shift();
    st.values.push({ v, t });
  }
  return compare(
    c.op,
    aggregate(
      c.aggregate,
      st.values.map((e) => e.v),
    ),
    c.value,
  );
}

function held(h: Hold, run: number, since: number, t: number): boolean {
  return h.samples !== undefined ? run >= h.samples : t - since >= h.ms!;
}

/** The next active flag of a rule for one accepted reading. */
function step(rule: Rule, st: RuleState, t: number, v: number): boolean {
  switch (rule.kind) {
    case 'staleness':
      return false;
    case 'hysteresis':
      if (rule.direction === 'above') return st.active ? !(v < rule.clearAt) : v > rule.raiseAt;
      return st.active ? !(v > rule.clearAt) : v < rule.raiseAt;
    case 'debounce': {
      const r = evalCondition(rule.condition, st.cond, t, v);
      if (r) {
        if (st.trueRun === 0) st.trueSince = t;
        st.trueRun++;
        st.falseRun = 0;
      } else {
        if (st.falseRun === 0) st.falseSince = t;
        st.falseRun++;
        st.trueRun = 0;
      }
      if (!st.active) return r && held(rule.raise, st.trueRun, st.trueSince, t);
      const clear = !r && (!rule.clear || held(rule.clear, st.falseRun, st.falseSince, t));
      return !clear;
    }
    default:
      return evalCondition(rule, st.cond, t, v);
  }
}

export class ReferenceEvaluator {
  readonly devices: string[] = [];
  private readonly last = new Map<string, { t: number; v: number }>();
  private readonly states = new Map<string, RuleState>();
  readonly rejected: Record<string, number> = {};

  constructor(
    private readonly ruleSet: RuleSet,
    private readonly sensors: readonly SensorKind[] = BUILT_IN_CATALOGUE.ids,
  ) {}

  /** The rules a device uses for a sensor: per id, its override if any, else the generic rule. */
  effectiveRules(deviceId: string, sensor: string): number[] {
    const ids: string[] = [];
    this.ruleSet.rules.forEach((r) => {
      if (r.sensor === sensor && !ids.includes(r.id)) ids.push(r.id);
    });
    const chosen: number[] = [];
    for (const id of ids) {
      const idx = (pred: (r: Rule) => boolean) =>
        this.ruleSet.rules.findIndex((r) => r.id === id && pred(r));
      const own = idx((r) => r.devices?.includes(deviceId) === true);
      const generic = idx((r) => r.devices === undefined);
      if (own >= 0) chosen.push(own);
      else if (generic >= 0) chosen.push(generic);
    }
    return chosen;
  }

  private state(deviceId: string, ruleIndex: number): RuleState {
    const key = `${deviceId}|${ruleIndex}`;
    let st = this.states.get(key);
    if (!st) {
      const rule = this.ruleSet.rules[ruleIndex];
      const cond =
        rule.kind === 'debounce'
          ? rule.condition
          : rule.kind === 'hysteresis' || rule.kind === 'staleness'
            ? undefined
            : rule;
      st = {
        active: false,
        cond: newCondState(cond),
        trueRun: 0,
        trueSince: 0,
        falseRun: 0,
        falseSince: 0,
      };
      this.states.set(key, st);
    }
    return st;
  }

  private reject(reason: string): Transition[] {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
    return [];
  }

  evaluate(reading: Reading): Transition[] {
    const { deviceId, sensor, ts: t, value: v } = reading;
    if (!this.sensors.includes(sensor)) return this.reject('unknownSensor');
    if (!this.devices.includes(deviceId)) this.devices.push(deviceId);
    if (!Number.isFinite(v)) return this.reject('badValue');
    if (!Number.isFinite(t)) return this.reject('badTimestamp');
    const last = this.last.get(`${deviceId}|${sensor}`);
    if (last && t === last.t) return this.reject('duplicate');
    if (last && t < last.t) return this.reject('outOfOrder');
    this.last.set(`${deviceId}|${sensor}`, { t, v });
    const out: Transition[] = [];
    for (const i of this.effectiveRules(deviceId, sensor)) {
      const rule = this.ruleSet.rules[i];
      const st = this.state(deviceId, i);
      const active = step(rule, st, t, v);
      if (active !== st.active) {
        st.active = active;
        out.push({
          deviceId,
          ruleId: rule.id,
          state: active ? 'raised' : 'cleared',
          ts: t,
          value: v,
          late: reading.late === true,
        });
      }
    }
    return out;
  }

  tick(now: number): Transition[] {
    const out: Transition[] = [];
    if (!Number.isFinite(now)) return out;
    for (const deviceId of this.devices) {
      for (const sensor of this.sensors) {
        const last = this.last.get(`${deviceId}|${sensor}`);
        if (!last) continue;
        for (const i of this.effectiveRules(deviceId, sensor)) {
          const rule = this.ruleSet.rules[i];
          const st = this.state(deviceId, i);
          if (rule.kind === 'staleness' && !st.active && now - last.t > rule.ms) {
            st.active = true;
            out.push({
              deviceId,
              ruleId: rule.id,
              state: 'raised',
              ts: now,
              value: last.v,
              late: false,
            });
          }
        }
      }
    }
    return out;
  }
}
