/**
 * The committed schema of the config topic (libs/domain schemas/config.schema.json) and the
 * rule-set validator agree on its examples and on the faults a schema can express.
 */
import { PAYLOAD_SCHEMAS } from '@iotmon/domain';
import Ajv2020 from 'ajv/dist/2020';
import { defaultRuleSet } from './default-rule-set';
import { validateRuleSet } from './validate';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const schemaValid = ajv.compile(PAYLOAD_SCHEMAS.config);

const rule = { id: 'r1', sensor: 'temperature', severity: 'warning' };
const set = (...rules: object[]) => ({ version: 1, rules });

describe('config.schema.json and validateRuleSet', () => {
  it('accept every example of the schema', () => {
    for (const ex of PAYLOAD_SCHEMAS.config.examples) {
      expect({ ex, ok: schemaValid(ex), errors: schemaValid.errors }).toMatchObject({ ok: true });
      expect(validateRuleSet(ex)).toMatchObject({ ok: true });
    }
  });

  it('accept the built-in default rule set', () => {
    expect(schemaValid(defaultRuleSet())).toBe(true);
  });

  it.each([
    ['version 2', { version: 2, rules: [] }],
    ['no rules', { version: 1 }],
    ['an unknown top-level field', { version: 1, rules: [], owner: 'x' }],
    ['an unknown kind', set({ ...rule, kind: 'magic' })],
    ['an unknown sensor', set({ ...rule, sensor: 'smell', kind: 'threshold', op: '>', value: 1 })],
    ['a bad op', set({ ...rule, kind: 'threshold', op: '=>', value: 1 })],
    ['a bad rule id', set({ ...rule, id: '-r', kind: 'threshold', op: '>', value: 1 })],
    [
      'a window with samples and ms',
      set({ ...rule, kind: 'window', aggregate: 'avg', samples: 3, ms: 10, op: '>', value: 1 }),
    ],
    [
      'a hold with neither',
      set({ ...rule, kind: 'debounce', condition: { kind: 'rate', limit: 1 }, raise: {} }),
    ],
    ['a negative rate limit', set({ ...rule, kind: 'rate', limit: -1 })],
    ['an alpha above 1', set({ ...rule, kind: 'anomaly', alpha: 2, k: 3, warmup: 10 })],
    ['a field of another kind', set({ ...rule, kind: 'threshold', op: '>', value: 1, limit: 2 })],
    ['an empty any', set({ ...rule, kind: 'any', conditions: [] })],
    ['a device listed twice', set({ ...rule, kind: 'staleness', ms: 1000, devices: ['a', 'a'] })],
    ['a long message', set({ ...rule, kind: 'staleness', ms: 1000, message: 'x'.repeat(257) })],
  ])('refuse %s', (_what, payload) => {
    expect(schemaValid(payload)).toBe(false);
    expect(validateRuleSet(payload)).toMatchObject({ ok: false });
  });
});
