/**
 * The horizontal lines a chart draws for a sensor: the constant limits of the rule set's
 * threshold, band, hysteresis and debounced-threshold rules (rate, window and anomaly rules
 * have no fixed line). A rule with `devices` overrides the generic rule of the same id there.
 */

/**
 * @typedef {import('@iotmon/domain').RuleSet} RuleSet
 * @typedef {import('@iotmon/domain').Rule} Rule
 * @typedef {import('@iotmon/domain').RuleSpec} RuleSpec
 * @typedef {{ value: number, label: string, severity: string, dashed: boolean }} ThresholdLine
 */

/**
 * @param {Pick<RuleSet, 'rules'> | null | undefined} ruleSet
 * @param {string} deviceId @param {string} sensor
 * @returns {ThresholdLine[]}
 */
export function thresholdLines(ruleSet, deviceId, sensor) {
  const rules = Array.isArray(ruleSet?.rules) ? ruleSet.rules : [];
  /** @type {Map<string, Rule>} */
  const effective = new Map();
  for (const r of rules) {
    if (r.sensor !== sensor) continue;
    if (Array.isArray(r.devices)) {
      if (r.devices.includes(deviceId)) effective.set(r.id, r);
    } else if (!effective.has(r.id)) {
      effective.set(r.id, r);
    }
  }
  /** @type {ThresholdLine[]} */
  const out = [];
  for (const r of effective.values()) out.push(...linesOf(r, r.id, r.severity));
  return out.sort((a, b) => a.value - b.value);
}

/**
 * @param {RuleSpec} c @param {string} id @param {string} severity
 * @returns {ThresholdLine[]}
 */
function linesOf(c, id, severity) {
  const num = (/** @type {unknown} */ v) =>
    typeof v === 'number' && Number.isFinite(v) ? v : null;
  /** @type {ThresholdLine[]} */
  const out = [];
  const push = (/** @type {unknown} */ v, /** @type {string} */ label, dashed = false) => {
    const n = num(v);
    if (n !== null) out.push({ value: n, label, severity, dashed });
  };
  switch (c.kind) {
    case 'threshold':
      push(c.value, `${id} ${c.op} ${c.value}`);
      break;
    case 'band':
      push(c.low, `${id} low`);
      push(c.high, `${id} high`);
      break;
    case 'hysteresis':
      push(c.raiseAt, `${id} raise`);
      push(c.clearAt, `${id} clear`, true);
      break;
    case 'debounce':
      if (c.condition && typeof c.condition === 'object')
        out.push(...linesOf(c.condition, id, severity));
      break;
    case 'any':
    case 'all':
      if (Array.isArray(c.conditions)) {
        for (const sub of c.conditions) out.push(...linesOf(sub, id, severity));
      }
      break;
  }
  return out;
}
