/**
 * The hysteresis or debounce that would have stopped a rule flapping, computed by replaying
 * the readings it flapped on: the smallest setting under which they raise at most once.
 */
export interface ThresholdRule {
  op: '>' | '>=' | '<' | '<=';
  value: number;
}

/** Raises of a plain threshold with a clear band of `gap` below (above) the threshold. */
export function raisesWithHysteresis(values: number[], rule: ThresholdRule, gap: number): number {
  const above = rule.op === '>' || rule.op === '>=';
  let active = false;
  let raises = 0;
  for (const v of values) {
    const over = above
      ? v > rule.value || (rule.op === '>=' && v === rule.value)
      : v < rule.value || (rule.op === '<=' && v === rule.value);
    const clear = above ? v < rule.value - gap : v > rule.value + gap;
    if (!active && over) {
      active = true;
      raises++;
    } else if (active && (gap === 0 ? !over : clear)) active = false;
  }
  return raises;
}

/** Raises when the condition must hold for `n` consecutive readings (and fail n to clear). */
export function raisesWithDebounce(values: number[], rule: ThresholdRule, n: number): number {
  const above = rule.op === '>' || rule.op === '>=';
  let active = false;
  let run = 0;
  let raises = 0;
  for (const v of values) {
    const over = above ? v > rule.value : v < rule.value;
    run = over !== active ? run + 1 : 0;
    if (run >= n) {
      active = over;
      run = 0;
      if (active) raises++;
    }
  }
  return raises;
}

export interface FlapRemedy {
  raisesNow: number;
  /** The clear band (units of the sensor) that leaves at most one raise. */
  hysteresisGap?: number;
  /** Consecutive readings to hold that leave at most one raise. */
  debounceSamples?: number;
}

export function flapRemedy(values: number[], rule: ThresholdRule): FlapRemedy {
  const raisesNow = raisesWithHysteresis(values, rule, 0);
  const distances = values.map((v) => Math.abs(v - rule.value)).sort((a, b) => a - b);
  let hysteresisGap: number | undefined;
  for (const d of distances) {
    const gap = niceCeil(d);
    if (raisesWithHysteresis(values, rule, gap) <= 1) {
      hysteresisGap = gap;
      break;
    }
  }
  let debounceSamples: number | undefined;
  for (let n = 2; n <= Math.min(50, values.length); n++)
    if (raisesWithDebounce(values, rule, n) <= 1) {
      debounceSamples = n;
      break;
    }
  return { raisesNow, hysteresisGap, debounceSamples };
}

/** Rounds up to 1, 2 or 5 times a power of ten: a setting an operator would write. */
export function niceCeil(x: number): number {
  if (x <= 0) return 0;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x - 1e-12) return Number((m * p).toPrecision(6));
  return 10 * p;
}
