/**
 * Closure backend: each rule becomes a small function over the state array. Same semantics
 * as codegen.ts, no `new Function`, so it runs under a strict Content-Security-Policy.
 */
import type { ComparisonOp, Condition, Hold, Reading, Rule } from '@iotmon/domain';

import { COUNTER, REJECTED, type Backend, type EvalContext } from './backend';
import { conditionSize, DEBOUNCE_CELLS, type Program } from './program';

/** Evaluates a condition for value v at time t; state starts at st[o]. */
type CondFn = (st: Float64Array, o: number, t: number, v: number) => boolean;
type SlotFn = (st: Float64Array, b: number, d: number, t: number, v: number, late: number) => void;

function comparator(op: ComparisonOp, x: number): (a: number) => boolean {
  switch (op) {
    case '>':
      return (a) => a > x;
    case '>=':
      return (a) => a >= x;
    case '<':
      return (a) => a < x;
    case '<=':
      return (a) => a <= x;
    case '==':
      return (a) => a === x;
    case '!=':
      return (a) => a !== x;
  }
}

function windowFn(c: Condition & { kind: 'window' }): CondFn {
  const test = comparator(c.op, c.value);
  const fold = (st: Float64Array, at: number, n: number, cap: number, h: number): number => {
    if (c.aggregate === 'count') return n;
    let acc = c.aggregate === 'avg' ? 0 : c.aggregate === 'min' ? Infinity : -Infinity;
    for (let i = 0, j = h; i < n; i++) {
      const x = st[at + j];
      if (c.aggregate === 'avg') acc += x;
      else if (c.aggregate === 'min' ? x < acc : x > acc) acc = x;
      j = j + 1 === cap ? 0 : j + 1;
    }
    return c.aggregate === 'avg' ? acc / n : acc;
  };
  if (c.tumbling) {
    const close = (st: Float64Array, o: number, n: number) => {
      const value =
        c.aggregate === 'avg'
          ? st[o + 1] / n
          : c.aggregate === 'min'
            ? st[o + 2]
            : c.aggregate === 'max'
              ? st[o + 3]
              : n;
      st[o + 4] = test(value) ? 1 : 0;
    };
    const add = (st: Float64Array, o: number, n: number, v: number) => {
      if (n === 0) {
        st[o + 1] = v;
        st[o + 2] = v;
        st[o + 3] = v;
      } else {
        st[o + 1] += v;
        if (v < st[o + 2]) st[o + 2] = v;
        if (v > st[o + 3]) st[o + 3] = v;
      }
    };
    if (c.samples !== undefined) {
      const N = c.samples;
      return (st, o, _t, v) => {
        const n = st[o];
        add(st, o, n, v);
        if (n + 1 === N) {
          close(st, o, N);
          st[o] = 0;
        } else st[o] = n + 1;
        return st[o + 4] !== 0;
      };
    }
    const ms = c.ms!;
    return (st, o, t, v) => {
      const bk = Math.floor(t / ms);
      let n = st[o];
      if (n > 0 && bk !== st[o + 5]) {
        close(st, o, n);
        n = 0;
      }
      if (n === 0) st[o + 5] = bk;
      add(st, o, n, v);
      st[o] = n + 1;
      return st[o + 4] !== 0;
    };
  }
  if (c.samples !== undefined) {
    const N = c.samples;
    return (st, o, _t, v) => {
      let cnt = st[o];
      let h = st[o + 1];
      st[o + 2 + h] = v;
      h = h + 1 === N ? 0 : h + 1;
      st[o + 1] = h;
      if (cnt < N) st[o] = ++cnt;
      return cnt === N && test(fold(st, o + 2, N, N, h));
    };
  }
  const M = c.maxSamples!;
  const ms = c.ms!;
  return (st, o, t, v) => {
    let cnt = st[o];
    let h = st[o + 1];
    const lo = t - ms;
    while (cnt > 0 && st[o + 2 + M + h] <= lo) {
      h = h + 1 === M ? 0 : h + 1;
      cnt--;
    }
    if (cnt === M) {
      h = h + 1 === M ? 0 : h + 1;
      cnt--;
    }
    let w = h + cnt;
    if (w >= M) w -= M;
    st[o + 2 + w] = v;
    st[o + 2 + M + w] = t;
    cnt++;
    st[o] = cnt;
    st[o + 1] = h;
    return test(fold(st, o + 2, cnt, M, h));
  };
}

function conditionFn(c: Condition): CondFn {
  switch (c.kind) {
    case 'threshold': {
      const test = comparator(c.op, c.value);
      return (_st, _o, _t, v) => test(v);
    }
    case 'band': {
      const { low, high } = c;
      return c.mode === 'inside'
        ? (_st, _o, _t, v) => low <= v && v <= high
        : (_st, _o, _t, v) => v < low || v > high;
    }
    case 'rate': {
      const limit = c.limit;
      return (st, o, t, v) => {
        const r = st[o] !== 0 && (Math.abs(v - st[o + 1]) / (t - st[o + 2])) * 1000 > limit;
        st[o] = 1;
        st[o + 1] = v;
        st[o + 2] = t;
        return r;
      };
    }
    case 'anomaly': {
      const { alpha, warmup } = c;
      const k2 = c.k * c.k;
      const keep = 1 - alpha;
      return (st, o, _t, v) => {
        let r = false;
        const n = st[o];
        if (n === 0) {
          st[o + 1] = v;
          st[o + 2] = 0;
        } else {
          const mean = st[o + 1];
          const q = st[o + 2];
          const dv = v - mean;
          if (n >= warmup && q > 0) r = dv * dv > k2 * q;
          const inc = alpha * dv;
          st[o + 1] = mean + inc;
          st[o + 2] = keep * (q + dv * inc);
        }
        if (n < warmup) st[o] = n + 1;
        return r;
      };
    }
    case 'window':
      return windowFn(c);
    case 'any':
    case 'all': {
      const fns = c.conditions.map(conditionFn);
      const offsets: number[] = [];
      let off = 0;
      for (const child of c.conditions) {
        offsets.push(off);
        off += conditionSize(child);
      }
      const any = c.kind === 'any';
      // Every child runs: stateful children must see every reading.
      return (st, o, t, v) => {
        let r = !any;
        for (let i = 0; i < fns.length; i++) {
          const x = fns[i](st, o + offsets[i], t, v);
          r = any ? r || x : r && x;
        }
        return r;
      };
    }
  }
}

function holdTest(h: Hold, run: number): (st: Float64Array, o: number, t: number) => boolean {
  if (h.samples !== undefined) {
    const n = h.samples;
    return (st, o) => st[o + run] >= n;
  }
  const ms = h.ms!;
  return (st, o, t) => t - st[o + run + 1] >= ms;
}

function slotFn(rule: Rule, slot: number, at: number, ctx: EvalContext): SlotFn {
  const emit = ctx.emit;
  switch (rule.kind) {
    case 'staleness':
      return (st, b, d, t, v, late) => {
        if (st[b + at] !== 0) {
          st[b + at] = 0;
          emit(d, slot, 0, t, v, late);
        }
      };
    case 'hysteresis': {
      const { raiseAt, clearAt } = rule;
      const above = rule.direction === 'above';
      return (st, b, d, t, v, late) => {
        const o = b + at;
        if (st[o] === 0) {
          if (above ? v > raiseAt : v < raiseAt) {
            st[o] = 1;
            emit(d, slot, 1, t, v, late);
          }
        } else if (above ? v < clearAt : v > clearAt) {
          st[o] = 0;
          emit(d, slot, 0, t, v, late);
        }
      };
    }
    case 'debounce': {
      const cond = conditionFn(rule.condition);
      const raised = holdTest(rule.raise, 1);
      const clear = rule.clear;
      const cleared = clear ? holdTest(clear, 3) : () => true;
      return (st, b, d, t, v, late) => {
        const o = b + at;
        const r = cond(st, o + 1 + DEBOUNCE_CELLS, t, v);
        if (r) {
          if (st[o + 1] === 0) st[o + 2] = t;
          st[o + 1] += 1;
          st[o + 3] = 0;
        } else {
          if (st[o + 3] === 0) st[o + 4] = t;
          st[o + 3] += 1;
          st[o + 1] = 0;
        }
        if (st[o] === 0) {
          if (r && raised(st, o, t)) {
            st[o] = 1;
            emit(d, slot, 1, t, v, late);
          }
        } else if (!r && cleared(st, o, t)) {
          st[o] = 0;
          emit(d, slot, 0, t, v, late);
        }
      };
    }
    default: {
      const cond = conditionFn(rule);
      return (st, b, d, t, v, late) => {
        const o = b + at;
        const x = cond(st, o + 1, t, v) ? 1 : 0;
        if (x !== st[o]) {
          st[o] = x;
          emit(d, slot, x, t, v, late);
        }
      };
    }
  }
}

export function closureBackend(program: Program, ctx: EvalContext): Backend {
  const plans = program.plans.map((plan) =>
    plan.map((i) => slotFn(program.slots[i].rule, i, program.slots[i].offset, ctx)),
  );
  const stride = program.stride;
  const sensorCount = program.sensorCount;
  const counters = ctx.counters;
  const one = (d: number, s: number, t: number, v: number, late: number): number => {
    if (v - v !== 0) return -(counters[COUNTER.badValue]++, COUNTER.badValue);
    if (t - t !== 0) return -(counters[COUNTER.badTimestamp]++, COUNTER.badTimestamp);
    const k = d * sensorCount + s;
    const lt = ctx.lastTs[k];
    if (t <= lt) {
      const c = t === lt ? COUNTER.duplicate : COUNTER.outOfOrder;
      counters[c]++;
      return -c;
    }
    ctx.lastTs[k] = t;
    ctx.lastValue[k] = v;
    const fns = plans[ctx.planOf[k]];
    const st = ctx.state;
    const b = d * stride;
    for (let i = 0; i < fns.length; i++) fns[i](st, b, d, t, v, late);
    return 0;
  };
  const batch: Backend['batch'] = (D, S, T, V, length, late) => {
    const devices = ctx.deviceCount;
    for (let i = 0; i < length; i++) {
      const d = D[i];
      const s = S[i];
      if (!(d >= 0 && d < devices)) counters[COUNTER.unknownDevice]++;
      else if (!(s >= 0 && s < sensorCount)) counters[COUNTER.unknownSensor]++;
      else one(d, s, T[i], V[i], late);
    }
  };
  const sensorIndex = new Map<string, number>(program.sensors.map((k, i) => [k, i]));
  const reading = (r: Reading): number => {
    ctx.out.length = 0;
    counters[COUNTER.received]++;
    const s = sensorIndex.get(r.sensor);
    if (s === undefined) {
      counters[COUNTER.unknownSensor]++;
      return REJECTED.unknownSensor;
    }
    const d = ctx.lookup(r.deviceId);
    const v = typeof r.value === 'number' ? r.value : NaN;
    const t = typeof r.ts === 'number' ? r.ts : NaN;
    const code = one(d, s, t, v, r.late ? 1 : 0);
    return code < 0 ? code : ctx.out.length;
  };
  return { reading, one, batch };
}
