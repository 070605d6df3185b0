import { defaultRuleSet } from './default-rule-set';
import { validateRuleSet } from './validate';

const ok = {
  id: 'hot',
  sensor: 'temperature',
  severity: 'warning',
  kind: 'threshold',
  op: '>',
  value: 30,
};

function errorsOf(json: unknown) {
  const result = validateRuleSet(json);
  if (result.ok) throw new Error('expected the rule set to be rejected');
  return result.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('validateRuleSet', () => {
  it('accepts the default rule set and returns a copy', () => {
    const input = defaultRuleSet();
    const result = validateRuleSet(input);
    expect(result).toEqual({ ok: true, ruleSet: input });
    if (result.ok) expect(result.ruleSet.rules[0]).not.toBe(input.rules[0]);
  });

  it('fills in the default capacity of sliding time windows', () => {
    const result = validateRuleSet({
      version: 1,
      rules: [{ ...ok, kind: 'window', aggregate: 'avg', ms: 1000, op: '>', value: 1 }],
    });
    expect(result.ok && result.ruleSet.rules[0]).toMatchObject({ maxSamples: 64 });
  });

  it.each([
    [null, '$: must be an object'],
    [{ rules: [] }, 'version: must be 1'],
    [{ version: 1 }, 'rules: must be an array'],
    [{ version: 1, rules: [], extra: 1 }, 'extra: is not a known field'],
    [
      { version: 1, rules: [ok, { ...ok, value: 'hot' }] },
      'rules[1].value: must be a finite number',
    ],
    [
      { version: 1, rules: [{ ...ok, op: '=>' }] },
      'rules[0].op: must be one of >, >=, <, <=, ==, !=',
    ],
    [{ version: 1, rules: [{ ...ok, sensor: 'wind' }] }, 'rules[0].sensor: must be one of'],
    [
      { version: 1, rules: [{ ...ok, severity: 'fatal' }] },
      'rules[0].severity: must be one of info',
    ],
    [{ version: 1, rules: [{ ...ok, id: 'has space' }] }, 'rules[0].id: must be 1-128'],
    [{ version: 1, rules: [{ ...ok, kind: 'magic' }] }, 'rules[0].kind: must be one of'],
    [{ version: 1, rules: [{ ...ok, thresold: 1 }] }, 'rules[0].thresold: is not a known field'],
    [
      { version: 1, rules: [{ ...ok, devices: ['a', 'a'] }] },
      'rules[0].devices[1]: is listed twice',
    ],
    [
      { version: 1, rules: [{ ...ok, devices: ['bad id'] }] },
      'rules[0].devices[0]: must be a device id',
    ],
    [{ version: 1, rules: [ok, ok] }, 'rules[1].id: duplicate rule id hot'],
    [
      { version: 1, rules: [ok, { ...ok, sensor: 'humidity' }] },
      'rules[1].sensor: rule hot is already',
    ],
    [
      {
        version: 1,
        rules: [
          { ...ok, devices: ['a'] },
          { ...ok, devices: ['b', 'a'] },
        ],
      },
      'rules[1].devices[1]: device already has an override of hot',
    ],
    [
      {
        version: 1,
        rules: [
          { ...ok, kind: 'band', mode: 'inside', low: 5, high: 1, op: undefined, value: undefined },
        ],
      },
      'rules[0].high: must be at least low',
    ],
    [
      {
        version: 1,
        rules: [
          {
            ...ok,
            kind: 'hysteresis',
            direction: 'above',
            raiseAt: 30,
            clearAt: 35,
            op: undefined,
            value: undefined,
          },
        ],
      },
      'rules[0].clearAt: must be at most raiseAt',
    ],
    [
      {
        version: 1,
        rules: [{ ...ok, kind: 'window', aggregate: 'avg', samples: 3, ms: 10, op: '>', value: 1 }],
      },
      'rules[0].samples: exactly one of samples and ms',
    ],
    [
      {
        version: 1,
        rules: [{ ...ok, kind: 'window', aggregate: 'count', samples: 3, op: '>', value: 1 }],
      },
      'rules[0].aggregate: count needs an ms window',
    ],
    [
      {
        version: 1,
        rules: [{ ...ok, kind: 'window', aggregate: 'avg', samples: 5000, op: '>', value: 1 }],
      },
      'rules[0].samples: must be at most 4096',
    ],
    [
      {
        version: 1,
        rules: [
          { ...ok, kind: 'anomaly', alpha: 0, k: 3, warmup: 10, op: undefined, value: undefined },
        ],
      },
      'rules[0].alpha: must be greater than 0',
    ],
    [
      {
        version: 1,
        rules: [{ ...ok, kind: 'staleness', ms: -1, op: undefined, value: undefined }],
      },
      'rules[0].ms: must be greater than 0',
    ],
    [
      {
        version: 1,
        rules: [
          {
            ...ok,
            kind: 'debounce',
            condition: { kind: 'threshold', op: '>', value: Infinity },
            raise: { samples: 2 },
            op: undefined,
            value: undefined,
          },
        ],
      },
      'rules[0].condition.value: must be a finite number',
    ],
    [
      {
        version: 1,
        rules: [
          {
            ...ok,
            kind: 'debounce',
            condition: { kind: 'rate', limit: 1 },
            raise: {},
            op: undefined,
            value: undefined,
          },
        ],
      },
      'rules[0].raise.samples: exactly one of samples and ms',
    ],
    [
      {
        version: 1,
        rules: [
          {
            ...ok,
            kind: 'any',
            conditions: [
              { kind: 'rate', limit: 1 },
              { kind: 'band', mode: 'across' },
            ],
            op: undefined,
            value: undefined,
          },
        ],
      },
      'rules[0].conditions[1].mode: must be one of inside, outside',
    ],
    [
      {
        version: 1,
        rules: [{ ...ok, kind: 'all', conditions: [], op: undefined, value: undefined }],
      },
      'rules[0].conditions: must hold 1 to 16 items',
    ],
  ])('rejects %j with %s', (json, expected) => {
    expect(errorsOf(JSON.parse(JSON.stringify(json)))).toEqual(
      expect.arrayContaining([expect.stringContaining(expected)]),
    );
  });

  it('rejects conditions nested too deep', () => {
    let c: unknown = { kind: 'threshold', op: '>', value: 1 };
    for (let i = 0; i < 5; i++) c = { kind: 'any', conditions: [c] };
    const errors = errorsOf({
      version: 1,
      rules: [{ ...ok, ...(c as object), op: undefined, value: undefined }],
    });
    expect(errors.some((e) => e.includes('nests deeper than 4 levels'))).toBe(true);
  });

  it('reports every fault, not only the first', () => {
    expect(errorsOf({ version: 2, rules: [{ ...ok, value: NaN, severity: 'x' }] })).toHaveLength(3);
  });
});
