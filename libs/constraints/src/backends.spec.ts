import { defaultRuleSet } from './default-rule-set';
import { createEvaluator } from './evaluator';

describe('backend choice', () => {
  const realFunction = globalThis.Function;
  afterEach(() => {
    globalThis.Function = realFunction;
  });

  function blockCodeGeneration(): void {
    // What a browser does under a Content-Security-Policy without 'unsafe-eval'.
    globalThis.Function = function blocked() {
      throw new EvalError('Refused to evaluate a string as JavaScript');
    } as unknown as FunctionConstructor;
  }

  it('uses code generation by default', () => {
    expect(createEvaluator(defaultRuleSet()).backend).toBe('codegen');
  });

  it('falls back to closures where code generation is blocked', () => {
    blockCodeGeneration();
    const ev = createEvaluator(defaultRuleSet());
    expect(ev.backend).toBe('closure');
    expect(ev.evaluate({ deviceId: 'd', sensor: 'temperature', value: 31, ts: 1 })).toBe(1);
  });

  it('fails loudly when codegen is demanded but blocked', () => {
    blockCodeGeneration();
    expect(() => createEvaluator(defaultRuleSet(), { backend: 'codegen' })).toThrow(EvalError);
  });

  it('rejects an invalid rule set with the paths of the faults', () => {
    expect(() =>
      createEvaluator({ version: 1, rules: [{ id: '', sensor: 'x' }] } as never),
    ).toThrow(/rules\[0\]\.id .*rules\[0\]\.sensor/);
  });

  it('grows its state past the initial device capacity', () => {
    const ev = createEvaluator(defaultRuleSet(), { initialDevices: 1 });
    for (let i = 0; i < 100; i++) {
      expect(ev.evaluate({ deviceId: `d${i}`, sensor: 'temperature', value: 31, ts: 1 })).toBe(1);
    }
    expect(ev.deviceCount).toBe(100);
    expect(ev.isActive('d0', 'temperature_alert')).toBe(true);
    expect(ev.deviceId(99)).toBe('d99');
  });
});
