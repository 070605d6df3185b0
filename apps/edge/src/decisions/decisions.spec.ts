import type { ConstraintEvent, Reading } from '@iotmon/domain';
import { Decisions } from './decisions';

const temp = (value: number, ts: number): Reading => ({
  deviceId: 'n1',
  sensor: 'temperature',
  value,
  ts: 1_700_000_000_000 + ts,
});

describe('decisions', () => {
  let events: ConstraintEvent[];
  let d: Decisions;
  beforeEach(() => {
    events = [];
    d = new Decisions(
      (e) => events.push(e),
      undefined,
      () => 42,
    );
  });

  it('uses the built-in defaults: temperature above 30 raises temperature_alert, once', () => {
    d.decide(temp(25, 1));
    d.decide(temp(31, 2));
    d.decide(temp(32, 3));
    d.decide(temp(29, 4));
    expect(events.map((e) => `${e.ruleId}:${e.state}:${e.value}`)).toEqual([
      'temperature_alert:raised:31',
      'temperature_alert:cleared:29',
    ]);
    expect(d.ruleSet).toMatchObject({ source: 'default', appliedAt: 42 });
  });

  it('swaps in a rule set from the config topic, keeping the state of unchanged rules', () => {
    d.decide(temp(31, 1));
    const same = JSON.stringify({
      version: 1,
      name: 'site',
      rules: [
        {
          id: 'temperature_alert',
          sensor: 'temperature',
          severity: 'critical',
          kind: 'threshold',
          op: '>',
          value: 30,
        },
      ],
    });
    expect(d.applyPayload(same)).toMatchObject({ ok: true, name: 'site', kept: 1 });
    d.decide(temp(33, 2));
    expect(events.map((e) => e.state)).toEqual(['raised']);
    d.decide(temp(20, 3));
    expect(events.at(-1)).toMatchObject({ state: 'cleared', severity: 'critical' });
  });

  it('rejects an invalid rule set with the path of the fault and keeps the current one', () => {
    const result = d.applyPayload(
      JSON.stringify({ version: 1, rules: [{ id: 'x', sensor: 'temperature' }] }),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/rules\[0\]/);
    expect(d.applyPayload('{not json').ok).toBe(false);
    expect(d.rejectedConfigs).toBe(2);
    expect(d.ruleSet.source).toBe('default');
  });

  it('goes back to the defaults on an empty config', () => {
    d.applyPayload(JSON.stringify({ version: 1, name: 'none', rules: [] }));
    expect(d.ruleSet.name).toBe('none');
    d.applyPayload('');
    expect(d.ruleSet.source).toBe('default');
  });
});
