/** Carries rule state across a rule-set swap and reports alarms that a swap leaves behind. */
import type { ConstraintEvent } from '@iotmon/domain';

import type { EvalContext } from './backend';
import { SENSOR_COUNT, type Program } from './program';
import type { SwapResult } from './evaluator';
import { toConstraintEvent } from './transitions';

/** Replaces ctx.state with a state laid out for `next`; ctx.planOf still holds old plans. */
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
  const nextPlanSets = next.plans.map((p) => new Set(p));
  const state = new Float64Array(capacity * next.stride);
  const dropped: ConstraintEvent[] = [];
  for (let d = 0; d < ctx.deviceCount; d++) {
    const own = next.overridePlans.get(ids[d]);
    for (let s = 0; s < SENSOR_COUNT; s++) {
      const k = d * SENSOR_COUNT + s;
      const nextPlan = nextPlanSets[own ? own[s] : s];
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
  return { kept, fresh: next.slots.length - kept, dropped };
}
