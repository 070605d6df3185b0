/**
 * Builders for scenario specs: rule and rule-set factories, and `scenario()`, which feeds a
 * stream to both compiled backends and the reference interpreter and insists they agree.
 */
import type { Reading, Rule, RuleHeader, RuleSet, RuleSpec, SensorKind } from '@iotmon/domain';

import { createEvaluator, type BackendKind } from '../evaluator';
import { ReferenceEvaluator } from '../reference';
import type { Transition } from '../transitions';

export const T0 = Date.UTC(2026, 0, 1);

export function rule(spec: RuleSpec & Partial<RuleHeader>): Rule {
  return { id: 'r', sensor: 'temperature', severity: 'warning', ...spec } as Rule;
}

export function ruleSet(...rules: Rule[]): RuleSet {
  return { version: 1, rules };
}

/** A step of a stream: a value (at the next second), [msOffset, value], a reading, or a tick. */
export type Step = number | [number, number] | Partial<Reading> | { tick: number };

export interface ScenarioOptions {
  deviceId?: string;
  sensor?: SensorKind;
  stepMs?: number;
}

/** One line per transition: `<step>:<deviceId>:<ruleId>:<raised|cleared>`. */
export type Trace = string[];

function readings(steps: Step[], o: ScenarioOptions): (Reading | { tick: number })[] {
  const stepMs = o.stepMs ?? 1000;
  return steps.map((s, i) => {
    const base = {
      deviceId: o.deviceId ?? 'd1',
      sensor: o.sensor ?? 'temperature',
      ts: T0 + i * stepMs,
    };
    if (typeof s === 'number') return { ...base, value: s };
    if (Array.isArray(s)) return { ...base, ts: T0 + s[0], value: s[1] };
    if ('tick' in s && typeof s.tick === 'number') return { tick: T0 + s.tick };
    return { ...base, value: 0, ...s } as Reading;
  });
}

function line(i: number, t: Transition): string {
  return `${i}:${t.deviceId}:${t.ruleId}:${t.state}`;
}

function runCompiled(
  set: RuleSet,
  stream: (Reading | { tick: number })[],
  backend: BackendKind,
): Trace {
  const ev = createEvaluator(set, { backend });
  const out: Trace = [];
  stream.forEach((r, i) => {
    if ('tick' in r) ev.tick(r.tick);
    else ev.evaluate(r);
    for (const t of ev.transitions()) out.push(line(i, t));
  });
  return out;
}

function runReference(set: RuleSet, stream: (Reading | { tick: number })[]): Trace {
  const ref = new ReferenceEvaluator(set);
  const out: Trace = [];
  stream.forEach((r, i) => {
    const ts = 'tick' in r ? ref.tick(r.tick) : ref.evaluate(r);
    for (const t of ts) out.push(line(i, t));
  });
  return out;
}

/** Runs the stream through codegen, closures and the reference; throws unless all agree. */
export function scenario(set: RuleSet, steps: Step[], options: ScenarioOptions = {}): Trace {
  const stream = readings(steps, options);
  const codegen = runCompiled(set, stream, 'codegen');
  const closure = runCompiled(set, stream, 'closure');
  const reference = runReference(set, stream);
  const same = (a: Trace, b: Trace) => a.join('\n') === b.join('\n');
  if (!same(codegen, reference) || !same(closure, reference)) {
    throw new Error(
      `backends disagree\nreference: ${reference.join(' ')}\ncodegen:   ${codegen.join(' ')}\nclosure:   ${closure.join(' ')}`,
    );
  }
  return reference;
}

/** Steps at which rule `ruleId` was raised (+) or cleared (-), e.g. ['+2', '-5']. */
export function edges(trace: Trace, ruleId = 'r'): string[] {
  return trace
    .map((l) => l.split(':'))
    .filter((p) => p[2] === ruleId)
    .map((p) => `${p[3] === 'raised' ? '+' : '-'}${p[0]}`);
}
