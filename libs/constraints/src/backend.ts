/** What the two compiler backends (code generation, closures) produce and share. */

/** Counter cells, indexed by the negated rejection code (0 counts readings handed in). */
export const COUNTER = {
  received: 0,
  badValue: 1,
  badTimestamp: 2,
  duplicate: 3,
  outOfOrder: 4,
  unknownSensor: 5,
  unknownDevice: 6,
} as const;
export const COUNTER_CELLS = 7;

/** Negative results of `evaluate`: why a reading was not evaluated. */
export const REJECTED = {
  badValue: -COUNTER.badValue,
  badTimestamp: -COUNTER.badTimestamp,
  duplicate: -COUNTER.duplicate,
  outOfOrder: -COUNTER.outOfOrder,
  unknownSensor: -COUNTER.unknownSensor,
  unknownDevice: -COUNTER.unknownDevice,
} as const;

import type { Reading } from '@iotmon/domain';

import type { TransitionBuffer } from './transitions';

export type Emit = (
  device: number,
  slot: number,
  state: number,
  ts: number,
  value: number,
  late: number,
) => void;

/** Mutable run-time state; arrays are replaced when more devices are registered. */
export interface EvalContext {
  /** `stride` cells per device. */
  state: Float64Array;
  /** Per (device * sensorCount + sensor): last accepted timestamp (-Infinity: none). */
  lastTs: Float64Array;
  lastValue: Float64Array;
  /** Per (device * sensorCount + sensor): plan id. */
  planOf: Int32Array;
  counters: Float64Array;
  deviceCount: number;
  emit: Emit;
  out: TransitionBuffer;
  /** Dense index of a device id, registering it on first sight. */
  lookup: (deviceId: string) => number;
}

export interface Backend {
  /** The whole per-reading path: transitions in ctx.out (count returned) or a REJECTED code. */
  reading(reading: Reading): number;
  /** 0 when evaluated, or a REJECTED code. */
  one(device: number, sensor: number, ts: number, value: number, late: number): number;
  batch(
    device: ArrayLike<number>,
    sensor: ArrayLike<number>,
    ts: ArrayLike<number>,
    value: ArrayLike<number>,
    length: number,
    late: number,
  ): void;
}
