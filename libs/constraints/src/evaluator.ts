/**
 * The compiled evaluator: device registry, typed-array state, the backend that runs the
 * rules, staleness ticks and run-time rule-set swaps.
 */
import {
  BUILT_IN_CATALOGUE,
  type ConstraintEvent,
  type Reading,
  type RuleSet,
  type SensorKind,
} from '@iotmon/domain';

import { COUNTER, COUNTER_CELLS, type Backend, type EvalContext } from './backend';
import { closureBackend } from './closures';
import { codegenBackend } from './codegen';
import { buildProgram, type Program } from './program';
import { swapState } from './swap';
import { toConstraintEvent, TransitionBuffer, type Transition } from './transitions';
import { validateRuleSet } from './validate';

export type BackendKind = 'codegen' | 'closure';

export interface EvaluatorOptions {
  /** 'auto' (default) uses code generation and falls back to closures where it is blocked. */
  backend?: BackendKind | 'auto';
  /** Devices to make room for up front; the state grows (doubling) beyond it. */
  initialDevices?: number;
  /**
   * The sensor-kinds catalogue's ids (a kind's position is its sensor index in columnar
   * batches); rules may name only these. Default: the built-in kinds.
   */
  sensors?: readonly SensorKind[];
}

/** Columnar readings: `device` holds indexes from `deviceIndex()`, `sensor` sensorIndex(). */
export interface ReadingColumns {
  device: Int32Array | Uint32Array;
  sensor: Uint8Array | Int32Array;
  ts: Float64Array;
  value: Float64Array;
  /** Defaults to the shortest column. */
  length?: number;
  /** Marks every transition of the batch as late (replayed) data. */
  late?: boolean;
}

export interface EvaluatorStats {
  accepted: number;
  badValue: number;
  badTimestamp: number;
  duplicate: number;
  outOfOrder: number;
  unknownSensor: number;
  unknownDevice: number;
}

export interface SwapResult {
  /** Rules whose state carried over. */
  kept: number;
  /** Rules that start from a clean state (new or changed). */
  fresh: number;
  /** Cleared events for alarms that were active under a rule that is gone or changed. */
  dropped: ConstraintEvent[];
}

/** Thrown by createEvaluator / swap for a rule set that does not validate. */
export class RuleSetError extends Error {
  constructor(readonly errors: { path: string; message: string }[]) {
    super(`invalid rule set: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
    this.name = 'RuleSetError';
  }
}

function checked(ruleSet: RuleSet, sensors: readonly SensorKind[]): RuleSet {
  const result = validateRuleSet(ruleSet, sensors);
  if (!result.ok) throw new RuleSetError(result.errors);
  return result.ruleSet;
}

export class Evaluator {
  readonly out = new TransitionBuffer();
  private program: Program;
  private backendImpl!: Backend;
  private kind!: BackendKind;
  private readonly ctx: EvalContext;
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private lastId = '';
  private lastIndex = -1;

  constructor(
    ruleSet: RuleSet,
    private readonly options: EvaluatorOptions = {},
  ) {
    const sensors = [...(options.sensors ?? BUILT_IN_CATALOGUE.ids)];
    this.program = buildProgram(checked(ruleSet, sensors), sensors);
    const capacity = Math.max(1, options.initialDevices ?? 16);
    const n = sensors.length;
    const out = this.out;
    this.ctx = {
      state: new Float64Array(capacity * this.program.stride),
      lastTs: new Float64Array(capacity * n).fill(-Infinity),
      lastValue: new Float64Array(capacity * n),
      planOf: new Int32Array(capacity * n),
      counters: new Float64Array(COUNTER_CELLS),
      deviceCount: 0,
      emit: (d, slot, state, ts, value, late) => out.push(d, slot, state, ts, value, late),
      out,
      lookup: (deviceId) => this.index.get(deviceId) ?? this.register(deviceId),
    };
    this.install();
  }

  get backend(): BackendKind {
    return this.kind;
  }

  get ruleSet(): RuleSet {
    return this.program.ruleSet;
  }

  /** The kind ids this evaluator knows, in sensor-index order. */
  get sensors(): readonly SensorKind[] {
    return this.program.sensors;
  }

  /** Sensor index of a kind for columnar batches; -1 when it is not in the catalogue. */
  sensorIndex(kind: SensorKind): number {
    return this.program.sensors.indexOf(kind);
  }

  get deviceCount(): number {
    return this.ctx.deviceCount;
  }

  private install(): void {
    const wanted = this.options.backend ?? 'auto';
    if (wanted !== 'closure') {
      try {
        this.backendImpl = codegenBackend(this.program, this.ctx);
        this.kind = 'codegen';
        return;
      } catch (e) {
        if (wanted === 'codegen') throw e;
      }
    }
    this.backendImpl = closureBackend(this.program, this.ctx);
    this.kind = 'closure';
  }

  /** Dense index of a device, registering it on first sight. */
  deviceIndex(deviceId: string): number {
    if (deviceId === this.lastId) return this.lastIndex;
    let d = this.index.get(deviceId);
    if (d === undefined) d = this.register(deviceId);
    this.lastId = deviceId;
    this.lastIndex = d;
    return d;
  }

  deviceId(index: number): string {
    return this.ids[index];
  }

  private register(deviceId: string): number {
    const ctx = this.ctx;
    const d = ctx.deviceCount;
    if ((d + 1) * this.program.sensorCount > ctx.planOf.length) this.resize(Math.max(16, d * 2));
    this.ids.push(deviceId);
    this.index.set(deviceId, d);
    this.assignPlans(d);
    ctx.deviceCount = d + 1;
    return d;
  }

  private assignPlans(d: number): void {
    const own = this.program.overridePlans.get(this.ids[d]);
    const n = this.program.sensorCount;
    for (let s = 0; s < n; s++) this.ctx.planOf[d * n + s] = own ? own[s] : s;
  }

  private resize(devices: number): void {
    const ctx = this.ctx;
    const grow = <T extends Float64Array | Int32Array>(a: T, n: number, fill?: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      if (fill !== undefined) b.fill(fill);
      b.set(a);
      return b;
    };
    ctx.state = grow(ctx.state, devices * this.program.stride);
    const n = this.program.sensorCount;
    ctx.lastTs = grow(ctx.lastTs, devices * n, -Infinity);
    ctx.lastValue = grow(ctx.lastValue, devices * n);
    ctx.planOf = grow(ctx.planOf, devices * n);
  }

  /**
   * Evaluates one reading. Returns the number of transitions now in `out` (0 or more), or a
   * negative REJECTED code when the reading was not evaluated; rejections are also counted.
   */
  evaluate(reading: Reading): number {
    return this.backendImpl.reading(reading);
  }

  /** Evaluates columnar readings in order; returns the number of transitions in `out`. */
  evaluateBatch(columns: ReadingColumns): number {
    this.out.length = 0;
    const { device, sensor, ts, value } = columns;
    const length = Math.min(
      columns.length ?? Infinity,
      device.length,
      sensor.length,
      ts.length,
      value.length,
    );
    this.ctx.counters[COUNTER.received] += length;
    this.backendImpl.batch(device, sensor, ts, value, length, columns.late ? 1 : 0);
    return this.out.length;
  }

  /** Raises staleness rules whose (device, sensor) has had no reading for longer than `ms`. */
  tick(nowMs: number): number {
    this.out.length = 0;
    if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) return 0;
    const { state, lastTs, lastValue, planOf, deviceCount } = this.ctx;
    const { slots, staleSlots, stride, sensorCount } = this.program;
    for (let d = 0; d < deviceCount; d++) {
      for (let s = 0; s < sensorCount; s++) {
        const k = d * sensorCount + s;
        const stale = staleSlots[planOf[k]];
        if (stale.length === 0 || lastTs[k] === -Infinity) continue;
        for (const i of stale) {
          const o = d * stride + slots[i].offset;
          const rule = slots[i].rule;
          if (rule.kind === 'staleness' && state[o] === 0 && nowMs - lastTs[k] > rule.ms) {
            state[o] = 1;
            this.out.push(d, i, 1, nowMs, lastValue[k], 0);
          }
        }
      }
    }
    return this.out.length;
  }

  /**
   * Replaces the rule set. State of rules with the same id, sensor, devices and semantics
   * carries over (severity and message may change freely); other rules start clean. `out` is
   * emptied: read it before swapping. With `sensors` (a changed catalogue) each kind keeps its
   * last reading; sensor indexes follow the new list.
   */
  swap(ruleSet: RuleSet, sensors: readonly SensorKind[] = this.program.sensors): SwapResult {
    const list = [...sensors];
    const next = buildProgram(checked(ruleSet, list), list);
    const ctx = this.ctx;
    const capacity = ctx.planOf.length / this.program.sensorCount;
    const result = swapState(this.program, next, ctx, capacity, this.ids);
    this.program = next;
    for (let d = 0; d < ctx.deviceCount; d++) this.assignPlans(d);
    this.out.length = 0;
    this.install();
    return result;
  }

  /** Counts of accepted and rejected readings since creation. */
  stats(): EvaluatorStats {
    const c = this.ctx.counters;
    let rejected = 0;
    for (let i = 1; i < COUNTER_CELLS; i++) rejected += c[i];
    return {
      accepted: c[COUNTER.received] - rejected,
      badValue: c[COUNTER.badValue],
      badTimestamp: c[COUNTER.badTimestamp],
      duplicate: c[COUNTER.duplicate],
      outOfOrder: c[COUNTER.outOfOrder],
      unknownSensor: c[COUNTER.unknownSensor],
      unknownDevice: c[COUNTER.unknownDevice],
    };
  }

  /** Transition `i` of `out` as a @iotmon/domain ConstraintEvent. */
  toEvent(i: number): ConstraintEvent {
    const o = this.out;
    const rule = this.program.slots[o.slot[i]].rule;
    return toConstraintEvent(
      rule,
      this.ids[o.device[i]],
      o.state[i],
      o.ts[i],
      o.value[i],
      o.late[i] === 1,
    );
  }

  events(): ConstraintEvent[] {
    return Array.from({ length: this.out.length }, (_x, i) => this.toEvent(i));
  }

  transitions(): Transition[] {
    const o = this.out;
    return Array.from({ length: o.length }, (_x, i) => ({
      deviceId: this.ids[o.device[i]],
      ruleId: this.program.slots[o.slot[i]].rule.id,
      state: o.state[i] ? ('raised' as const) : ('cleared' as const),
      ts: o.ts[i],
      value: o.value[i],
      late: o.late[i] === 1,
    }));
  }

  /** Whether a rule is currently raised for a device (the rule the device actually uses). */
  isActive(deviceId: string, ruleId: string): boolean {
    const d = this.index.get(deviceId);
    if (d === undefined) return false;
    const n = this.program.sensorCount;
    for (let s = 0; s < n; s++) {
      for (const i of this.program.plans[this.ctx.planOf[d * n + s]]) {
        const slot = this.program.slots[i];
        if (slot.rule.id === ruleId)
          return this.ctx.state[d * this.program.stride + slot.offset] !== 0;
      }
    }
    return false;
  }
}

export function createEvaluator(ruleSet: RuleSet, options?: EvaluatorOptions): Evaluator {
  return new Evaluator(ruleSet, options);
}
