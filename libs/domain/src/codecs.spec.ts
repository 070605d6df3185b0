import {
  decodeEvent,
  decodePresence,
  decodeReadings,
  encodeEvent,
  encodeReadingBatch,
  encodeReadings,
} from './codecs';
import { BUILT_IN_CATALOGUE as KINDS } from './sensors';
import type { ConstraintEvent } from './alarm';

const ts = Date.UTC(2026, 0, 1);

describe('reading codec', () => {
  it('round-trips a batch through the topic context', () => {
    const readings = [
      { deviceId: 'edge-1', sensor: 'temperature' as const, value: 21.5, ts, seq: 1 },
      {
        deviceId: 'edge-1',
        sensor: 'temperature' as const,
        value: 22,
        ts: ts + 1000,
        seq: 2,
        late: true,
      },
    ];
    const decoded = decodeReadings(encodeReadings(readings), KINDS, {
      deviceId: 'edge-1',
      sensor: 'temperature',
    });
    expect(decoded).toEqual({ readings, errors: [] });
  });

  it('round-trips a batch of several devices and sensors without a topic context', () => {
    const readings = [
      { deviceId: 'a', sensor: 'light' as const, value: 1, ts },
      { deviceId: 'b', sensor: 'power' as const, value: 2, ts, seq: 3, late: true },
    ];
    expect(decodeReadings(encodeReadingBatch(readings), KINDS)).toEqual({ readings, errors: [] });
  });

  it('accepts an ISO timestamp and bytes', () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ deviceId: 'd1', sensor: 'light', value: 300, ts: '2026-01-01T00:00:00Z' }),
    );
    expect(decodeReadings(body, KINDS).readings).toEqual([
      { deviceId: 'd1', sensor: 'light', value: 300, ts },
    ]);
  });

  it('keeps good items of a batch and names the field of each bad one', () => {
    const payload = JSON.stringify([
      { value: 20, ts },
      { value: 'hot', ts },
      { value: 20, ts: 'yesterday' },
      { value: 1e9, ts },
      { value: 20, ts, colour: 'red' },
      { value: 20, ts, seq: -1 },
      { deviceId: 'other', value: 20, ts },
    ]);
    const { readings, errors } = decodeReadings(payload, KINDS, {
      deviceId: 'edge-1',
      sensor: 'temperature',
    });
    expect(readings).toHaveLength(1);
    expect(errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'value'],
      [2, 'ts'],
      [3, 'value'],
      [4, 'colour'],
      [5, 'seq'],
      [6, 'deviceId'],
    ]);
  });

  it('rejects malformed payloads with a reason', () => {
    expect(decodeReadings('{nope', KINDS).errors[0]).toMatchObject({ index: -1, field: 'payload' });
    expect(decodeReadings('[]', KINDS).errors[0].reason).toMatch(/1 to 10000/);
    expect(decodeReadings('null', KINDS).errors[0]).toMatchObject({ index: 0, field: 'item' });
    expect(
      decodeReadings('{"deviceId":"x y","sensor":"light","value":1,"ts":1}', KINDS).errors[0].field,
    ).toBe('deviceId');
  });

  it('rejects NaN and Infinity smuggled as strings or huge numbers', () => {
    const { errors } = decodeReadings(
      '[{"value":"NaN","ts":1767225600000},{"value":1e400,"ts":1767225600000}]',
      KINDS,
      { deviceId: 'a', sensor: 'power' },
    );
    expect(errors.map((e) => e.field)).toEqual(['value', 'value']);
  });
});

describe('event codec', () => {
  const event: ConstraintEvent = {
    deviceId: 'edge-1',
    sensor: 'temperature',
    ruleId: 'temperature_alert',
    state: 'raised',
    severity: 'warning',
    value: 31,
    ts,
    message: 'temperature above 30',
  };

  it('round-trips', () => {
    expect(
      decodeEvent(encodeEvent(event), KINDS, { deviceId: 'edge-1', sensor: 'temperature' }),
    ).toEqual({
      event,
    });
  });

  it('refuses an event for another device than its topic', () => {
    expect(decodeEvent(encodeEvent(event), KINDS, { deviceId: 'edge-2' })).toEqual({
      error: expect.objectContaining({ field: 'deviceId' }),
    });
  });

  it.each([
    ['state', { state: 'maybe' }],
    ['severity', { severity: 'fatal' }],
    ['ruleId', { ruleId: '' }],
    ['value', { value: null }],
  ])('names the bad field %s', (field, patch) => {
    expect(decodeEvent(JSON.stringify({ ...event, ...patch }), KINDS)).toEqual({
      error: expect.objectContaining({ field }),
    });
  });
});

describe('presence codec', () => {
  it('decodes status and rejects junk', () => {
    expect(decodePresence('{"status":"offline","ts":5}')).toEqual({ status: 'offline', ts: 5 });
    expect(decodePresence('{"status":"away"}')).toBeNull();
    expect(decodePresence('garbage')).toBeNull();
  });
});
