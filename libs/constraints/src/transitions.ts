/** The reusable transition output and its conversion to @iotmon/domain events. */
import type { ConstraintEvent, Rule } from '@iotmon/domain';

/**
 * Columnar, growable list of transitions. Each evaluate / evaluateBatch / tick call starts by
 * setting `length` to 0; read entries [0, length) before the next call. It grows (allocates)
 * only when a call produces more transitions than it has ever held.
 */
export class TransitionBuffer {
  length = 0;
  device: Int32Array;
  /** Rule slot: index of the rule in the evaluator's current rule set. */
  slot: Int32Array;
  /** 1 raised, 0 cleared. */
  state: Uint8Array;
  ts: Float64Array;
  value: Float64Array;
  late: Uint8Array;

  constructor(capacity = 64) {
    this.device = new Int32Array(capacity);
    this.slot = new Int32Array(capacity);
    this.state = new Uint8Array(capacity);
    this.ts = new Float64Array(capacity);
    this.value = new Float64Array(capacity);
    this.late = new Uint8Array(capacity);
  }

  push(device: number, slot: number, state: number, ts: number, value: number, late: number): void {
    const i = this.length;
    if (i === this.device.length) this.grow();
    this.device[i] = device;
    this.slot[i] = slot;
    this.state[i] = state;
    this.ts[i] = ts;
    this.value[i] = value;
    this.late[i] = late;
    this.length = i + 1;
  }

  private grow(): void {
    const n = this.device.length * 2;
    const more = <T extends Int32Array | Uint8Array | Float64Array>(
      a: T,
      make: new (n: number) => T,
    ): T => {
      const b = new make(n);
      b.set(a);
      return b;
    };
    this.device = more(this.device, Int32Array);
    this.slot = more(this.slot, Int32Array);
    this.state = more(this.state, Uint8Array);
    this.ts = more(this.ts, Float64Array);
    this.value = more(this.value, Float64Array);
    this.late = more(this.late, Uint8Array);
  }
}

/** One transition as a plain object (allocates; for tests, logs and events). */
export interface Transition {
  deviceId: string;
  ruleId: string;
  state: 'raised' | 'cleared';
  ts: number;
  value: number;
  late: boolean;
}

export const DEFAULT_MESSAGE = '{ruleId} {state}: {sensor} {value}';

/** Fills a message template: {deviceId} {sensor} {ruleId} {state} {severity} {value}. */
export function renderMessage(rule: Rule, fields: Omit<ConstraintEvent, 'message'>): string {
  const values: Record<string, string> = {
    deviceId: fields.deviceId,
    sensor: fields.sensor,
    ruleId: fields.ruleId,
    state: fields.state,
    severity: fields.severity,
    value: String(fields.value),
  };
  return (rule.message ?? DEFAULT_MESSAGE).replace(
    /\{(\w+)\}/g,
    (m, key: string) => values[key] ?? m,
  );
}

export function toConstraintEvent(
  rule: Rule,
  deviceId: string,
  state: number,
  ts: number,
  value: number,
  late: boolean,
): ConstraintEvent {
  const fields: Omit<ConstraintEvent, 'message'> = {
    deviceId,
    sensor: rule.sensor,
    ruleId: rule.id,
    state: state ? 'raised' : 'cleared',
    severity: rule.severity,
    value,
    ts,
  };
  const event: ConstraintEvent = { ...fields, message: renderMessage(rule, fields) };
  if (late) event.late = true;
  return event;
}
