import { BUILT_IN_CATALOGUE, type Rule, type RuleSet } from '@iotmon/domain';
import { effectiveRuleSet } from './effective-rule-set';

const rule = (id: string, sensor: Rule['sensor']): Rule => ({
  id,
  sensor,
  severity: 'warning',
  kind: 'threshold',
  op: '>',
  value: 1,
});
const set = (name: string, rules: Rule[]): { name: string; body: RuleSet } => ({
  name,
  body: { version: 1, name, rules },
});
const KINDS = BUILT_IN_CATALOGUE.ids;
const defaults: RuleSet = {
  version: 1,
  name: 'default',
  rules: [rule('t', 'temperature'), rule('h', 'humidity')],
};
const sets = new Map([
  ['1', set('office', [rule('t_office', 'temperature'), rule('l_office', 'light')])],
  ['2', set('lab', [rule('h_lab', 'humidity')])],
]);

describe('effectiveRuleSet', () => {
  it('keeps the node on its own rules when nothing is assigned', () => {
    const r = effectiveRuleSet(
      'd1',
      sets,
      { devices: new Map(), sensors: new Map() },
      defaults,
      KINDS,
    );
    expect(r).toEqual({ ruleSet: defaults, assigned: false });
  });

  it('gives a device its assigned set outright', () => {
    const r = effectiveRuleSet(
      'd1',
      sets,
      { devices: new Map([['d1', '1']]), sensors: new Map([['humidity', '2']]) },
      defaults,
      KINDS,
    );
    expect(r.ruleSet.rules.map((x) => x.id)).toEqual(['t_office', 'l_office']);
  });

  it('takes per-sensor assignments and defaults for the other kinds', () => {
    const r = effectiveRuleSet(
      'd2',
      sets,
      { devices: new Map([['d1', '1']]), sensors: new Map([['humidity', '2']]) },
      defaults,
      KINDS,
    );
    expect(r.assigned).toBe(true);
    expect(r.ruleSet.rules.map((x) => x.id)).toEqual(['t', 'h_lab']);
  });
});
