/**
 * Wire codecs for MQTT payloads (JSON). Decoders validate every field and say what is
 * wrong; a batch keeps its good items and reports the bad ones by index.
 */
import type { ConstraintEvent, Severity } from './alarm';
import { SEVERITIES } from './alarm';
import type { PresencePayload } from './device';
import { isDeviceId, type Reading } from './reading';
import { isSensorKind, SENSORS, type SensorKind } from './sensors';

export interface FieldError {
  /** Position in a batch; -1 for the payload as a whole. */
  index: number;
  field: string;
  reason: string;
  /** The rejected item's own seq, when it had a valid one: it is acked as processed. */
  seq?: number;
}

export interface DecodedReadings {
  readings: Reading[];
  errors: FieldError[];
}

/** Where a payload came from: values in the topic win and must agree with the body. */
export interface TopicContext {
  deviceId?: string;
  sensor?: SensorKind;
}

export const MAX_BATCH = 10_000;
const MIN_TS = Date.UTC(2000, 0, 1);
const MAX_TS = Date.UTC(2100, 0, 1);
const decoder = new TextDecoder();

function toText(payload: string | Uint8Array): string {
  return typeof payload === 'string' ? payload : decoder.decode(payload);
}

function parseJson(payload: string | Uint8Array): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(toText(payload)) };
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Accepts epoch milliseconds or an ISO-8601 string; returns epoch ms or an error text. */
export function parseTimestamp(v: unknown): number | string {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (typeof v !== 'number' && typeof v !== 'string') {
    return 'must be epoch milliseconds or an ISO-8601 string';
  }
  if (!Number.isFinite(ms)) return 'is not a valid timestamp';
  if (ms < MIN_TS || ms >= MAX_TS) return 'must be between 2000-01-01 and 2100-01-01';
  return ms;
}

const READING_FIELDS = new Set(['deviceId', 'sensor', 'value', 'ts', 'seq', 'late']);

/** Validates one reading object; pure and allocation-light for the ingestion hot path. */
export function validateReading(
  item: unknown,
  index: number,
  ctx: TopicContext = {},
): Reading | FieldError {
  const err = (field: string, reason: string): FieldError => {
    const e: FieldError = { index, field, reason };
    const s = isRecord(item) ? item['seq'] : undefined;
    if (typeof s === 'number' && Number.isSafeInteger(s) && s >= 0) e.seq = s;
    return e;
  };
  if (!isRecord(item)) return err('item', 'must be an object');
  for (const key in item) {
    if (!READING_FIELDS.has(key)) return err(key, 'is not a known field');
  }
  const deviceId = item['deviceId'] ?? ctx.deviceId;
  if (!isDeviceId(deviceId)) return err('deviceId', 'must be 1-64 characters of A-Z a-z 0-9 _ . -');
  if (ctx.deviceId !== undefined && deviceId !== ctx.deviceId) {
    return err('deviceId', `does not match the topic's device ${ctx.deviceId}`);
  }
  const sensor = item['sensor'] ?? ctx.sensor;
  if (!isSensorKind(sensor)) return err('sensor', 'is not a known sensor kind');
  if (ctx.sensor !== undefined && sensor !== ctx.sensor) {
    return err('sensor', `does not match the topic's sensor ${ctx.sensor}`);
  }
  const value = item['value'];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return err('value', 'must be a finite number');
  }
  const spec = SENSORS[sensor];
  if (value < spec.min || value > spec.max) {
    return err('value', `must be within [${spec.min}, ${spec.max}] ${spec.unit} for ${sensor}`);
  }
  const ts = parseTimestamp(item['ts']);
  if (typeof ts === 'string') return err('ts', ts);
  const reading: Reading = { deviceId, sensor, value, ts };
  const seq = item['seq'];
  if (seq !== undefined) {
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      return err('seq', 'must be a non-negative integer');
    }
    reading.seq = seq;
  }
  const late = item['late'];
  if (late !== undefined) {
    if (typeof late !== 'boolean') return err('late', 'must be a boolean');
    if (late) reading.late = true;
  }
  return reading;
}

function isFieldError(v: Reading | FieldError): v is FieldError {
  return (v as FieldError).reason !== undefined;
}

/** Decodes a raw-topic payload: one reading object or an array of up to MAX_BATCH. */
export function decodeReadings(
  payload: string | Uint8Array,
  ctx: TopicContext = {},
): DecodedReadings {
  const parsed = parseJson(payload);
  if (parsed.error)
    return { readings: [], errors: [{ index: -1, field: 'payload', reason: parsed.error }] };
  const items = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (items.length === 0 || items.length > MAX_BATCH) {
    return {
      readings: [],
      errors: [{ index: -1, field: 'payload', reason: `must hold 1 to ${MAX_BATCH} readings` }],
    };
  }
  const readings: Reading[] = [];
  const errors: FieldError[] = [];
  for (let i = 0; i < items.length; i++) {
    const r = validateReading(items[i], i, ctx);
    if (isFieldError(r)) errors.push(r);
    else readings.push(r);
  }
  return { readings, errors };
}

/** Encodes readings for a raw topic. Device and sensor are in the topic, so left out. */
export function encodeReadings(readings: readonly Reading[]): string {
  const body = readings.map((r) => {
    const o: Record<string, unknown> = { value: r.value, ts: r.ts };
    if (r.seq !== undefined) o['seq'] = r.seq;
    if (r.late) o['late'] = true;
    return o;
  });
  return JSON.stringify(body.length === 1 ? body[0] : body);
}

/** Encodes readings of any devices and sensors as one message, each with its device and sensor. */
export function encodeReadingBatch(readings: readonly Reading[]): string {
  return JSON.stringify(readings);
}

export function encodeEvent(event: ConstraintEvent): string {
  return JSON.stringify(event);
}

function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/** Decodes an event-topic payload, checking it against the topic it came on. */
export function decodeEvent(
  payload: string | Uint8Array,
  ctx: TopicContext = {},
): { event: ConstraintEvent } | { error: FieldError } {
  const fail = (field: string, reason: string) => ({ error: { index: -1, field, reason } });
  const parsed = parseJson(payload);
  if (parsed.error) return fail('payload', parsed.error);
  const o = parsed.value;
  if (!isRecord(o)) return fail('payload', 'must be an object');
  const deviceId = o['deviceId'] ?? ctx.deviceId;
  if (!isDeviceId(deviceId) || (ctx.deviceId !== undefined && deviceId !== ctx.deviceId)) {
    return fail('deviceId', 'must be a valid device id matching the topic');
  }
  const sensor = o['sensor'] ?? ctx.sensor;
  if (!isSensorKind(sensor) || (ctx.sensor !== undefined && sensor !== ctx.sensor)) {
    return fail('sensor', 'must be a known sensor kind matching the topic');
  }
  const ruleId = o['ruleId'];
  if (typeof ruleId !== 'string' || ruleId.length === 0 || ruleId.length > 128) {
    return fail('ruleId', 'must be a non-empty string of at most 128 characters');
  }
  const state = o['state'];
  if (state !== 'raised' && state !== 'cleared')
    return fail('state', "must be 'raised' or 'cleared'");
  const severity = o['severity'];
  if (!isSeverity(severity)) return fail('severity', `must be one of ${SEVERITIES.join(', ')}`);
  const value = o['value'];
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail('value', 'must be a finite number');
  const ts = parseTimestamp(o['ts']);
  if (typeof ts === 'string') return fail('ts', ts);
  const message = o['message'] ?? '';
  if (typeof message !== 'string' || message.length > 1024) {
    return fail('message', 'must be a string of at most 1024 characters');
  }
  const event: ConstraintEvent = { deviceId, sensor, ruleId, state, severity, value, ts, message };
  if (o['late'] === true) event.late = true;
  const seq = o['seq'];
  if (seq !== undefined) {
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
      return fail('seq', 'must be a non-negative integer');
    event.seq = seq;
  }
  return { event };
}

export function encodePresence(p: PresencePayload): string {
  return JSON.stringify(p);
}

export function decodePresence(payload: string | Uint8Array): PresencePayload | null {
  const parsed = parseJson(payload);
  const o = parsed.value;
  if (!isRecord(o) || (o['status'] !== 'online' && o['status'] !== 'offline')) return null;
  const ts = typeof o['ts'] === 'number' && Number.isFinite(o['ts']) ? o['ts'] : 0;
  return { status: o['status'], ts };
}
