/**
 * Rule sets as data: the server owns them, pushes them to edges on `env/{deviceId}/config`,
 * and libs/constraints validates and compiles them. Semantics are documented in
 * libs/constraints/README.md.
 */
import type { Severity } from './alarm';
import type { SensorKind } from './sensors';

export const RULE_SET_VERSION = 1;

export const COMPARISON_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** value `op` threshold. */
export interface ThresholdCondition {
  kind: 'threshold';
  op: ComparisonOp;
  value: number;
}

/** Holds when the value is inside (or outside) the closed interval [low, high]. */
export interface BandCondition {
  kind: 'band';
  mode: 'inside' | 'outside';
  low: number;
  high: number;
}

/** |Δvalue / Δt| between consecutive readings, in units per second, above `limit`. */
export interface RateCondition {
  kind: 'rate';
  limit: number;
}

export const WINDOW_AGGREGATES = ['avg', 'min', 'max', 'count'] as const;
export type WindowAggregate = (typeof WINDOW_AGGREGATES)[number];

/** An aggregate over the last `samples` readings or `ms` milliseconds, compared with `value`. */
export interface WindowCondition {
  kind: 'window';
  aggregate: WindowAggregate;
  /** Exactly one of `samples` and `ms`. */
  samples?: number;
  ms?: number;
  /** Tumbling windows give a verdict when a window closes; sliding ones on every reading. */
  tumbling?: boolean;
  /** Capacity of a sliding time window; older readings beyond it are dropped. Default 64. */
  maxSamples?: number;
  op: ComparisonOp;
  value: number;
}

/** Online EWMA mean and variance; holds when the z-score passes `k` after `warmup` readings. */
export interface AnomalyCondition {
  kind: 'anomaly';
  alpha: number;
  k: number;
  warmup: number;
}

export interface AnyCondition {
  kind: 'any';
  conditions: Condition[];
}

export interface AllCondition {
  kind: 'all';
  conditions: Condition[];
}

/** Conditions: evaluated on every reading, combinable with any / all. */
export type Condition =
  | ThresholdCondition
  | BandCondition
  | RateCondition
  | WindowCondition
  | AnomalyCondition
  | AnyCondition
  | AllCondition;

/** Raise past `raiseAt`, clear only past `clearAt` (no flapping in between). */
export interface HysteresisSpec {
  kind: 'hysteresis';
  direction: 'above' | 'below';
  raiseAt: number;
  clearAt: number;
}

/** Exactly one of `samples` (consecutive readings) and `ms` (held since the first one). */
export interface Hold {
  samples?: number;
  ms?: number;
}

/** The condition must hold for `raise` before raising, and fail for `clear` before clearing. */
export interface DebounceSpec {
  kind: 'debounce';
  condition: Condition;
  raise: Hold;
  clear?: Hold;
}

/** No reading for more than `ms`, checked on each clock tick. */
export interface StalenessSpec {
  kind: 'staleness';
  ms: number;
}

export type RuleSpec = Condition | HysteresisSpec | DebounceSpec | StalenessSpec;
export type RuleKind = RuleSpec['kind'];

export interface RuleHeader {
  /** Stable id; a rule with `devices` and the same id overrides the generic rule there. */
  id: string;
  sensor: SensorKind;
  devices?: string[];
  severity: Severity;
  /** Template: {deviceId} {sensor} {ruleId} {state} {severity} {value}. */
  message?: string;
}

export type Rule = RuleHeader & RuleSpec;

export interface RuleSet {
  version: typeof RULE_SET_VERSION;
  name?: string;
  rules: Rule[];
}
