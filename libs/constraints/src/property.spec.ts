import fc from 'fast-check';

import { createEvaluator, type BackendKind } from './evaluator';
import { ReferenceEvaluator } from './reference';
import { ruleSetArb, streamArb, type StreamStep } from './testing/arbitraries';
import type { Transition } from './transitions';
import { validateRuleSet } from './validate';

/** Random cases per run of the main property (acceptance: at least 10,000). */
const RUNS = 10_000;

const line = (i: number, t: Transition) =>
  JSON.stringify([i, t.deviceId, t.ruleId, t.state, t.ts, t.value, t.late]);

function compiled(
  set: Parameters<typeof createEvaluator>[0],
  stream: StreamStep[],
  backend: BackendKind,
): string[] {
  const ev = createEvaluator(set, { backend });
  const out: string[] = [];
  stream.forEach((s, i) => {
    if ('tick' in s) ev.tick(s.tick);
    else ev.evaluate(s);
    for (const t of ev.transitions()) out.push(line(i, t));
  });
  return out;
}

function reference(set: Parameters<typeof createEvaluator>[0], stream: StreamStep[]): string[] {
  const ref = new ReferenceEvaluator(set);
  const out: string[] = [];
  stream.forEach((s, i) => {
    for (const t of 'tick' in s ? ref.tick(s.tick) : ref.evaluate(s)) out.push(line(i, t));
  });
  return out;
}

describe('compiled evaluator vs reference interpreter', () => {
  it('every generated rule set is valid', () => {
    fc.assert(
      fc.property(ruleSetArb, (set) => {
        const result = validateRuleSet(set);
        expect(result.ok ? [] : result.errors).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it(`gives identical transitions on ${RUNS} random rule sets and streams (both backends)`, () => {
    let active = 0;
    fc.assert(
      fc.property(ruleSetArb, streamArb, (set, stream) => {
        const expected = reference(set, stream);
        if (expected.length > 0) active++;
        expect(compiled(set, stream, 'codegen')).toEqual(expected);
        expect(compiled(set, stream, 'closure')).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
    // Guards against a generator that never exercises anything: most cases must transition.
    expect(active).toBeGreaterThan(RUNS / 4);
  });
});
