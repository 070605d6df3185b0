/** Alarms: storms (many raised at once) and flapping rules (raise/clear over and over). */
import { flapRemedy, type ThresholdRule } from './flap-remedy';
import { fmt, ms, num, str } from './series-math';
import { finding, type Detector, type Row } from './snapshot';

const STORM_MS = 300_000;
const FLAP_MS = 900_000;

export const alarmStorm: Detector = (s) => {
  const raised = (s.tables.alarm_history ?? []).filter(
    (r) => r['change'] === 'raised' && ms(r['at']) > s.at - STORM_MS,
  );
  if (raised.length < 30) return [];
  const byRule = new Map<string, Set<string>>();
  for (const r of raised) {
    const k = str(r['rule_id']);
    byRule.set(k, (byRule.get(k) ?? new Set()).add(str(r['device_id'])));
  }
  const top = [...byRule].sort((a, b) => b[1].size - a[1].size).slice(0, 3);
  const devices = new Set(raised.map((r) => str(r['device_id'])));
  return [
    finding({
      detector: 'alarm-storm',
      severity: raised.length >= 100 ? 'critical' : 'warning',
      subject: 'alarms',
      title: `${raised.length} alarms raised in 5 min on ${devices.size} device(s)`,
      confidence: 0.9,
      suggestion:
        top[0][1].size >= devices.size * 0.5
          ? `Most come from rule ${top[0][0]} across many devices at once: a shared cause (site power, network, a rule-set change) rather than ${devices.size} faults; consider shelving that rule while it is fixed.`
          : 'Many rules fire at once: look for a shared cause (gateway, site) before treating devices one by one.',
      evidence: [
        {
          kind: 'rows',
          source: 'alarm_history (change = raised, last 5 min)',
          detail: top.map(([rule, d]) => `${rule}: ${d.size} device(s)`).join(', '),
          rows: raised.slice(-5),
        },
      ],
    }),
  ];
};

export const flappingRule: Detector = (s) => {
  const recent = (s.tables.alarm_history ?? []).filter(
    (r) => (r['change'] === 'raised' || r['change'] === 'cleared') && ms(r['at']) > s.at - FLAP_MS,
  );
  const byKey = new Map<string, Row[]>();
  for (const r of recent) {
    const k = `${str(r['device_id'])}/${str(r['sensor'])}/${str(r['rule_id'])}`;
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const flapping = [...byKey].filter(
    ([, rows]) => rows.filter((r) => r['change'] === 'raised').length >= 4,
  );
  // During a storm every key repeats; that is the storm's finding, not a flapping rule's.
  if (flapping.length > 10) return [];
  return flapping.map(([key, rows]) => {
    const [device, sensor, ruleId] = key.split('/');
    const raises = rows.filter((r) => r['change'] === 'raised').length;
    const ruleRow = (s.tables.rules ?? []).find((r) => r['rule_id'] === ruleId);
    const values = (s.tables.flap_readings ?? [])
      .filter((r) => r['device_id'] === device && r['sensor'] === sensor)
      .sort((a, b) => ms(a['ts']) - ms(b['ts']))
      .map((r) => num(r['value']));
    let suggestion =
      'Add hysteresis (a clear level apart from the raise level) or a debounce to this rule.';
    const evidence: ReturnType<Detector>[number]['evidence'] = [
      {
        kind: 'rows',
        source: 'alarm_history (raised/cleared, last 15 min)',
        detail: `${raises} raises and ${rows.length - raises} clears`,
        rows: rows.slice(-6),
      },
    ];
    if (ruleRow && values.length >= 10 && ['>', '>=', '<', '<='].includes(str(ruleRow['op']))) {
      const rule: ThresholdRule = {
        op: str(ruleRow['op']) as ThresholdRule['op'],
        value: num(ruleRow['value']),
      };
      const r = flapRemedy(values, rule);
      const dir = rule.op.startsWith('>') ? 'above' : 'below';
      const clearAt =
        dir === 'above' ? rule.value - (r.hysteresisGap ?? 0) : rule.value + (r.hysteresisGap ?? 0);
      const parts = [];
      if (r.hysteresisGap !== undefined)
        parts.push(
          `hysteresis {"kind":"hysteresis","direction":"${dir}","raiseAt":${rule.value},"clearAt":${fmt(clearAt, 6)}}`,
        );
      if (r.debounceSamples !== undefined)
        parts.push(`a debounce holding ${r.debounceSamples} consecutive readings`);
      if (parts.length)
        suggestion = `Replaying the last ${values.length} readings: ${parts.join(' or ')} would have raised at most once instead of ${r.raisesNow} times.`;
      evidence.push({
        kind: 'rows',
        source: 'flap_readings (readings of that device and sensor, last 15 min) + rules',
        detail: `threshold ${rule.op} ${rule.value}; values between ${fmt(Math.min(...values))} and ${fmt(Math.max(...values))}`,
        points: (s.tables.flap_readings ?? [])
          .filter((x) => x['device_id'] === device && x['sensor'] === sensor)
          .map((x): [number, number] => [ms(x['ts']), num(x['value'])])
          .sort((a, b) => a[0] - b[0]),
      });
    }
    return finding({
      detector: 'flapping-rule',
      severity: 'warning',
      subject: key,
      title: `Rule ${ruleId} flaps on ${device}/${sensor}: ${raises} raises in 15 min`,
      confidence: Math.min(0.95, 0.6 + raises / 40),
      suggestion,
      evidence,
    });
  });
};
