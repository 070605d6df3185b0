/**
 * The committed JSON Schemas and the codecs agree: every example of a schema decodes, what
 * the encoders write validates, and payloads the codecs refuse are refused by the schemas.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { decodeAck, encodeAck } from './acks';
import type { ConstraintEvent } from './alarm';
import {
  decodeEvent,
  decodePresence,
  decodeReadings,
  encodeEvent,
  encodePresence,
  encodeReadingBatch,
  encodeReadings,
} from './codecs';
import { PAYLOAD_SCHEMAS, type PayloadSchemaName } from './schemas';

// strictRequired would refuse `not: { required: [...] }`, the way to say "exactly one of".
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
for (const s of Object.values(PAYLOAD_SCHEMAS)) ajv.addSchema(s);
const validate = (name: PayloadSchemaName, v: unknown) =>
  ajv.validate(PAYLOAD_SCHEMAS[name].$id, v);

const examples = (name: PayloadSchemaName) =>
  (PAYLOAD_SCHEMAS[name] as { examples: unknown[] }).examples;

const ctx = { deviceId: 'lab-3', sensor: 'temperature' as const };
const ts = Date.UTC(2026, 0, 1);

describe('payload JSON Schemas', () => {
  it.each(Object.keys(PAYLOAD_SCHEMAS) as PayloadSchemaName[])(
    '%s: compiles in strict mode and its examples validate',
    (name) => {
      expect(examples(name).length).toBeGreaterThan(0);
      for (const ex of examples(name)) {
        expect({ ex, ok: validate(name, ex), errors: ajv.errors }).toMatchObject({ ok: true });
      }
    },
  );

  it('the examples decode with the codecs, without errors', () => {
    for (const ex of [...examples('raw'), ...examples('reading')]) {
      expect(decodeReadings(JSON.stringify(ex), ctx).errors).toEqual([]);
    }
    for (const ex of examples('event')) {
      expect(decodeEvent(JSON.stringify(ex), ctx)).toHaveProperty('event');
    }
    for (const ex of examples('status')) expect(decodePresence(JSON.stringify(ex))).not.toBeNull();
    for (const ex of examples('ack')) expect(decodeAck(JSON.stringify(ex))).toEqual(ex);
  });

  it('what the encoders write validates', () => {
    const readings = [
      { deviceId: 'lab-3', sensor: 'temperature' as const, value: 21, ts, seq: 1 },
      {
        deviceId: 'lab-3',
        sensor: 'temperature' as const,
        value: 22,
        ts: ts + 1,
        seq: 2,
        late: true,
      },
    ];
    expect(validate('raw', JSON.parse(encodeReadings(readings)))).toBe(true);
    expect(validate('raw', JSON.parse(encodeReadings(readings.slice(0, 1))))).toBe(true);
    expect(validate('raw', JSON.parse(encodeReadingBatch(readings)))).toBe(true);
    const event: ConstraintEvent = {
      deviceId: 'lab-3',
      sensor: 'temperature',
      ruleId: 'temperature_alert',
      state: 'raised',
      severity: 'warning',
      value: 31,
      ts,
      message: 'hot',
      seq: 4,
    };
    expect(validate('event', JSON.parse(encodeEvent(event)))).toBe(true);
    expect(validate('status', JSON.parse(encodePresence({ status: 'offline', ts })))).toBe(true);
    expect(
      validate('ack', JSON.parse(encodeAck({ raw: { humidity: [[1, 9]] }, event: [[3, 3]] }))),
    ).toBe(true);
  });

  it.each([
    ['a string value', { value: 'hot', ts }],
    ['no ts', { value: 1 }],
    ['a ts before 2000', { value: 1, ts: 0 }],
    ['an unknown field', { value: 1, ts, colour: 'red' }],
    ['a negative seq', { value: 1, ts, seq: -1 }],
    ['a fractional seq', { value: 1, ts, seq: 1.5 }],
    ['late as a string', { value: 1, ts, late: 'yes' }],
    ['a bad device id', { deviceId: '-x', value: 1, ts }],
    ['an unknown sensor', { sensor: 'smell', value: 1, ts }],
    ['an empty batch', []],
  ])('raw: %s is refused by both', (_what, payload) => {
    expect(validate('raw', payload)).toBe(false);
    const decoded = decodeReadings(JSON.stringify(payload));
    expect(decoded.readings).toEqual([]);
    expect(decoded.errors.length).toBeGreaterThan(0);
  });

  it.each([
    ['no ruleId', { state: 'raised', severity: 'warning', value: 1, ts }],
    ['a bad state', { ruleId: 'r', state: 'open', severity: 'warning', value: 1, ts }],
    ['a bad severity', { ruleId: 'r', state: 'raised', severity: 'fatal', value: 1, ts }],
    [
      'a long message',
      { ruleId: 'r', state: 'raised', severity: 'info', value: 1, ts, message: 'x'.repeat(1025) },
    ],
    ['a negative seq', { ruleId: 'r', state: 'raised', severity: 'info', value: 1, ts, seq: -2 }],
  ])('event: %s is refused by both', (_what, payload) => {
    expect(validate('event', payload)).toBe(false);
    expect(decodeEvent(JSON.stringify(payload), ctx)).toHaveProperty('error');
  });

  it.each([
    ['an unknown sensor', { raw: { smell: [[1, 2]] } }],
    ['a range of three', { event: [[1, 2, 3]] }],
    ['a negative seq', { event: [[-1, 2]] }],
  ])('ack: %s is refused by both', (_what, payload) => {
    expect(validate('ack', payload)).toBe(false);
    expect(decodeAck(JSON.stringify(payload))).toBeNull();
  });

  it('status: anything but online/offline is refused by both', () => {
    expect(validate('status', { status: 'away', ts })).toBe(false);
    expect(decodePresence(JSON.stringify({ status: 'away', ts }))).toBeNull();
  });
});
