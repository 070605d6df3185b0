/**
 * Code-generation backend: one JavaScript function per rule set with every rule inlined and
 * its constants folded, built with `new Function`. Blocked where a Content-Security-Policy
 * forbids eval; the evaluator then falls back to the closure backend.
 */
import type { ComparisonOp, Condition, Rule } from '@iotmon/domain';

import { COUNTER, type Backend, type EvalContext } from './backend';
import { conditionSize, DEBOUNCE_CELLS, type Program } from './program';

/** A number as JavaScript source (validated numbers are finite). */
function lit(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

function cmp(op: ComparisonOp, a: string, b: number): string {
  const js = op === '==' ? '===' : op === '!=' ? '!==' : op;
  return `(${a} ${js} ${lit(b)})`;
}

class Gen {
  private n = 0;
  fresh(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  /** Emits statements that set `r` (declared here) to the condition's truth. */
  condition(c: Condition, at: number, r: string): string {
    const s = (k: number) => `st[b + ${at + k}]`;
    switch (c.kind) {
      case 'threshold':
        return `const ${r} = ${cmp(c.op, 'v', c.value)};`;
      case 'band':
        return c.mode === 'inside'
          ? `const ${r} = ${lit(c.low)} <= v && v <= ${lit(c.high)};`
          : `const ${r} = v < ${lit(c.low)} || v > ${lit(c.high)};`;
      case 'rate':
        return `let ${r} = false;
if (${s(0)} !== 0) ${r} = (Math.abs(v - ${s(1)}) / (t - ${s(2)})) * 1000 > ${lit(c.limit)};
${s(0)} = 1; ${s(1)} = v; ${s(2)} = t;`;
      case 'anomaly': {
        const [n, mean, vr, dv, inc] = ['n', 'm', 'q', 'dv', 'inc'].map((p) => this.fresh(p));
        return `let ${r} = false;
const ${n} = ${s(0)};
if (${n} === 0) { ${s(1)} = v; ${s(2)} = 0; } else {
  const ${mean} = ${s(1)}, ${vr} = ${s(2)}, ${dv} = v - ${mean};
  if (${n} >= ${c.warmup} && ${vr} > 0) ${r} = ${dv} * ${dv} > ${lit(c.k * c.k)} * ${vr};
  const ${inc} = ${lit(c.alpha)} * ${dv};
  ${s(1)} = ${mean} + ${inc};
  ${s(2)} = ${lit(1 - c.alpha)} * (${vr} + ${dv} * ${inc});
}
if (${n} < ${c.warmup}) ${s(0)} = ${n} + 1;`;
      }
      case 'window':
        return this.window(c, at, r);
      case 'any':
      case 'all': {
        let code = '';
        const parts: string[] = [];
        let off = at;
        for (const child of c.conditions) {
          const cr = this.fresh('r');
          code += this.condition(child, off, cr) + '\n';
          parts.push(cr);
          off += conditionSize(child);
        }
        // Every child runs first: stateful children must see every reading.
        return `${code}const ${r} = ${parts.join(c.kind === 'any' ? ' || ' : ' && ')};`;
      }
    }
  }

  /** Folds `acc` over ring cells; returns [setup, per-item update, result expression]. */
  private agg(aggregate: string, acc: string, x: string, count: string): [string, string, string] {
    switch (aggregate) {
      case 'avg':
        return [`let ${acc} = 0;`, `${acc} += ${x};`, `${acc} / ${count}`];
      case 'min':
        return [`let ${acc} = Infinity;`, `if (${x} < ${acc}) ${acc} = ${x};`, acc];
      case 'max':
        return [`let ${acc} = -Infinity;`, `if (${x} > ${acc}) ${acc} = ${x};`, acc];
      default:
        return ['', '', count];
    }
  }

  private window(c: Condition & { kind: 'window' }, at: number, r: string): string {
    const s = (k: number | string) => `st[b + ${at} + ${k}]`;
    const [acc, x, i, j, cnt, h] = ['acc', 'x', 'i', 'j', 'cnt', 'h'].map((p) => this.fresh(p));
    if (c.tumbling) {
      const [n] = [this.fresh('n')];
      const verdict = (count: string) => {
        const value =
          c.aggregate === 'avg'
            ? `${s(1)} / ${count}`
            : c.aggregate === 'min'
              ? s(2)
              : c.aggregate === 'max'
                ? s(3)
                : count;
        return `${s(4)} = ${cmp(c.op, value, c.value)} ? 1 : 0;`;
      };
      const add = `if (${n} === 0) { ${s(1)} = v; ${s(2)} = v; ${s(3)} = v; } else {
  ${s(1)} += v; if (v < ${s(2)}) ${s(2)} = v; if (v > ${s(3)}) ${s(3)} = v; }`;
      if (c.samples !== undefined) {
        return `const ${n} = ${s(0)};
${add}
if (${n} + 1 === ${c.samples}) { ${verdict(String(c.samples))} ${s(0)} = 0; } else ${s(0)} = ${n} + 1;
const ${r} = ${s(4)} !== 0;`;
      }
      const bk = this.fresh('bk');
      return `const ${bk} = Math.floor(t / ${lit(c.ms!)});
let ${n} = ${s(0)};
if (${n} > 0 && ${bk} !== ${s(5)}) { ${verdict(n)} ${n} = 0; }
if (${n} === 0) ${s(5)} = ${bk};
${add}
${s(0)} = ${n} + 1;
const ${r} = ${s(4)} !== 0;`;
    }
    if (c.samples !== undefined) {
      const N = c.samples;
      const [setup, step, result] = this.agg(c.aggregate, acc, x, String(N));
      return `let ${cnt} = ${s(0)}; let ${h} = ${s(1)};
${s(`2 + ${h}`)} = v;
${h} = ${h} + 1 === ${N} ? 0 : ${h} + 1; ${s(1)} = ${h};
if (${cnt} < ${N}) { ${cnt}++; ${s(0)} = ${cnt}; }
let ${r} = false;
if (${cnt} === ${N}) {
  ${setup}
  for (let ${i} = 0, ${j} = ${h}; ${i} < ${N}; ${i}++) {
    const ${x} = ${s(`2 + ${j}`)}; ${step}
    ${j} = ${j} + 1 === ${N} ? 0 : ${j} + 1;
  }
  ${r} = ${cmp(c.op, result, c.value)};
}`;
    }
    const M = c.maxSamples!;
    const [setup, step, result] = this.agg(c.aggregate, acc, x, cnt);
    const w = this.fresh('w');
    return `let ${cnt} = ${s(0)}; let ${h} = ${s(1)};
const ${w}lo = t - ${lit(c.ms!)};
while (${cnt} > 0 && ${s(`${2 + M} + ${h}`)} <= ${w}lo) { ${h} = ${h} + 1 === ${M} ? 0 : ${h} + 1; ${cnt}--; }
if (${cnt} === ${M}) { ${h} = ${h} + 1 === ${M} ? 0 : ${h} + 1; ${cnt}--; }
let ${w} = ${h} + ${cnt}; if (${w} >= ${M}) ${w} -= ${M};
${s(`2 + ${w}`)} = v; ${s(`${2 + M} + ${w}`)} = t; ${cnt}++;
${s(0)} = ${cnt}; ${s(1)} = ${h};
${setup}
for (let ${i} = 0, ${j} = ${h}; ${i} < ${cnt}; ${i}++) {
  const ${x} = ${s(`2 + ${j}`)}; ${step}
  ${j} = ${j} + 1 === ${M} ? 0 : ${j} + 1;
}
const ${r} = ${cmp(c.op, result, c.value)};`;
  }

  /** Statements that evaluate one slot and emit its transition. */
  rule(rule: Rule, slot: number, at: number): string {
    const s = (k: number) => `st[b + ${at + k}]`;
    const emit = (x: string) => `scratch[0] = t; scratch[1] = v; emitAt(d, ${slot}, ${x}, late);`;
    switch (rule.kind) {
      case 'staleness':
        return `if (${s(0)} !== 0) { ${s(0)} = 0; ${emit('0')} }`;
      case 'hysteresis': {
        const raise =
          rule.direction === 'above' ? `v > ${lit(rule.raiseAt)}` : `v < ${lit(rule.raiseAt)}`;
        const clear =
          rule.direction === 'above' ? `v < ${lit(rule.clearAt)}` : `v > ${lit(rule.clearAt)}`;
        return `if (${s(0)} === 0) { if (${raise}) { ${s(0)} = 1; ${emit('1')} } }
else if (${clear}) { ${s(0)} = 0; ${emit('0')} }`;
      }
      case 'debounce': {
        const r = this.fresh('r');
        const test = (h: { samples?: number; ms?: number }, run: number) =>
          h.samples !== undefined
            ? `${s(run)} >= ${h.samples}`
            : `t - ${s(run + 1)} >= ${lit(h.ms!)}`;
        const clear = rule.clear ? test(rule.clear, 3) : 'true';
        return `{ ${this.condition(rule.condition, at + 1 + DEBOUNCE_CELLS, r)}
if (${r}) { if (${s(1)} === 0) ${s(2)} = t; ${s(1)} += 1; ${s(3)} = 0; }
else { if (${s(3)} === 0) ${s(4)} = t; ${s(3)} += 1; ${s(1)} = 0; }
if (${s(0)} === 0) { if (${r} && ${test(rule.raise, 1)}) { ${s(0)} = 1; ${emit('1')} } }
else if (!${r} && ${clear}) { ${s(0)} = 0; ${emit('0')} } }`;
      }
      default: {
        const r = this.fresh('r');
        return `{ ${this.condition(rule, at + 1, r)}
const x = ${r} ? 1 : 0; if (x !== ${s(0)}) { ${s(0)} = x; ${emit('x')} } }`;
      }
    }
  }
}

/** The source of both entry points: `drop(counter)` is the rejection statement. */
function body(program: Program, drop: (counter: number) => string): string {
  const gen = new Gen();
  const cases = program.plans
    .map((plan, id) => {
      const code = plan.map((i) => gen.rule(program.slots[i].rule, i, program.slots[i].offset));
      return `case ${id}: {\n${code.join('\n')}\nbreak; }`;
    })
    .join('\n');
  return `if (v - v !== 0) ${drop(COUNTER.badValue)}
if (t - t !== 0) ${drop(COUNTER.badTimestamp)}
const k = d * ${program.sensorCount} + s;
const lt = lastTs[k];
if (t <= lt) ${drop(-1)}
lastTs[k] = t; lastValue[k] = v;
const b = d * ${program.stride};
switch (${program.overridePlans.size > 0 ? 'planOf[k]' : 's'}) {
${cases}
}`;
}

const dropDuplicate = (exit: string) =>
  `{ counters[t === lt ? ${COUNTER.duplicate} : ${COUNTER.outOfOrder}]++; ${exit} }`;

/** JavaScript source of a factory `(ctx) => Backend`. */
export function generateSource(program: Program): string {
  const one = body(program, (c) =>
    c < 0
      ? dropDuplicate(`return -(t === lt ? ${COUNTER.duplicate} : ${COUNTER.outOfOrder});`)
      : `{ counters[${c}]++; return -${c}; }`,
  );
  const batch = body(program, (c) =>
    c < 0 ? dropDuplicate('continue;') : `{ counters[${c}]++; continue; }`,
  );
  const reading = body(program, (c) =>
    c < 0
      ? dropDuplicate(`return -(t === lt ? ${COUNTER.duplicate} : ${COUNTER.outOfOrder});`)
      : `{ counters[${c}]++; return -${c}; }`,
  );
  const sensors = program.sensors
    .map((k, i) => `case ${JSON.stringify(k)}: s = ${i}; break;`)
    .join(' ');
  return `'use strict';
const emit = ctx.emit, counters = ctx.counters, out = ctx.out, lookup = ctx.lookup;
// Doubles reach emit through a typed array: passing them as arguments would box them.
const scratch = new Float64Array(2);
function emitAt(d, slot, x, late) { emit(d, slot, x, scratch[0], scratch[1], late); }
let lastId = '', lastD = -1;
function reading(r) {
  out.length = 0;
  counters[${COUNTER.received}]++;
  let s = -1;
  switch (r.sensor) { ${sensors} default: counters[${COUNTER.unknownSensor}]++; return -${COUNTER.unknownSensor}; }
  const id = r.deviceId;
  let d = lastD;
  if (id !== lastId) { d = lookup(id); lastId = id; lastD = d; }
  let v = r.value, t = r.ts;
  if (typeof v !== 'number') v = NaN;
  if (typeof t !== 'number') t = NaN;
  const late = r.late ? 1 : 0;
  const st = ctx.state, lastTs = ctx.lastTs, lastValue = ctx.lastValue, planOf = ctx.planOf;
  ${reading}
  return out.length;
}
function one(d, s, t, v, late) {
  const st = ctx.state, lastTs = ctx.lastTs, lastValue = ctx.lastValue, planOf = ctx.planOf;
  ${one}
  return 0;
}
function batch(D, S, T, V, length, late) {
  const st = ctx.state, lastTs = ctx.lastTs, lastValue = ctx.lastValue, planOf = ctx.planOf;
  const devices = ctx.deviceCount;
  for (let i = 0; i < length; i++) {
    const d = D[i], s = S[i], t = T[i], v = V[i];
    // One unsigned compare each: negative indexes wrap to huge values.
    if ((d >>> 0) >= devices) { counters[${COUNTER.unknownDevice}]++; continue; }
    if ((s >>> 0) >= ${program.sensorCount}) { counters[${COUNTER.unknownSensor}]++; continue; }
    ${batch}
  }
}
return { reading, one, batch };`;
}

/** Throws (EvalError) where a Content-Security-Policy forbids code generation. */
export function codegenBackend(program: Program, ctx: EvalContext): Backend {
  const factory = new Function('ctx', generateSource(program)) as (ctx: EvalContext) => Backend;
  return factory(ctx);
}
