/** Carries rule state across a rule-set swap and reports alarms that a swap leaves behind. */
import type { ConstraintEvent } from '@iotmon/domain';

import type { EvalContext } from './backend';
import type { Program } from './program';
import type { SwapResult } from './evaluator';
import { toConstraintEvent } from './transitions';

/**
 * Replaces ctx.state with a state laid out for `next`; ctx.planOf still holds old plans.
 * When the catalogue's kinds changed, the per-sensor columns are laid out anew by kind id.
 */
export function swapState(
  old: Program,
  next: Program,
  ctx: EvalContext,
  capacity: number,
  ids: readonly string[],
): SwapResult {
  const byKey = new Map(old.slots.map((s) => [s.key, s]));
  const matchOf = new Map<number, number>(); // old slot -> new slot
  let kept = 0;
  for (const slot of next.slots) {
    const was = byKey.get(slot.key);
    if (was) {
      matchOf.set(was.index, slot.index);
      kept++;
    }
  }
  const nextPlanSets = next.plans.map((p) => new Set<number>(p));
  const none = new Set<number>();
  const nextIndex = new Map(next.sensors.map((k, i) => [k, i]));
  const state = new Float64Array(capacity * next.stride);
  const dropped: ConstraintEvent[] = [];
  for (let d = 0; d < ctx.deviceCount; d++) {
    const own = next.overridePlans.get(ids[d]);
    for (let s = 0; s < old.sensorCount; s++) {
      const k = d * old.sensorCount + s;
      // A kind gone from the catalogue keeps no rules: its raised alarms are dropped.
      const n = nextIndex.get(old.sensors[s]);
      const nextPlan = n === undefined ? none : nextPlanSets[own ? own[n] : n];
      for (const i of old.plans[ctx.planOf[k]]) {
        const from = old.slots[i];
        const j = matchOf.get(i);
        const src = d * old.stride + from.offset;
        if (j !== undefined && nextPlan.has(j)) {
          const to = next.slots[j];
          state.set(ctx.state.subarray(src, src + from.size), d * next.stride + to.offset);
        } else if (ctx.state[src] !== 0) {
          dropped.push(
            toConstraintEvent(from.rule, ids[d], 0, ctx.lastTs[k], ctx.lastValue[k], false),
          );
        }
      }
    }
  }
  ctx.state = state;
  if (!sameSensors(old.sensors, next.sensors)) relayColumns(old, next, ctx, capacity);
  return { kept, fresh: next.slots.length - kept, dropped };
}

export function sameSensors(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** Moves each kind's last timestamp and value to its index in `next` (plans are reassigned). */
function relayColumns(old: Program, next: Program, ctx: EvalContext, capacity: number): void {
  const n = next.sensorCount;
  const lastTs = new Float64Array(capacity * n).fill(-Infinity);
  const lastValue = new Float64Array(capacity * n);
  const from = next.sensors.map((k) => old.sensors.indexOf(k));
  for (let d = 0; d < ctx.deviceCount; d++) {
    for (let s = 0; s < n; s++) {
      if (from[s] < 0) continue;
      lastTs[d * n + s] = ctx.lastTs[d * old.sensorCount + from[s]];
      lastValue[d * n + s] = ctx.lastValue[d * old.sensorCount + from[s]];
    }
  }
  ctx.lastTs = lastTs;
  ctx.lastValue = lastValue;
  ctx.planOf = new Int32Array(capacity * n);
}
