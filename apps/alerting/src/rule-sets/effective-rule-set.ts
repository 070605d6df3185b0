/**
 * Which rules a node runs: a device assignment wins outright; otherwise, per sensor kind, the
 * rules of the set assigned to that kind, and the defaults for kinds with no assignment;
 * `kinds` are the sensor-kinds catalogue's ids. Pure, so it is the same on every replica and testable without a database.
 */
import { RULE_SET_VERSION, type RuleSet, type SensorKind } from '@iotmon/domain';

export interface Assignments {
  /** deviceId -> rule set id */
  devices: ReadonlyMap<string, string>;
  /** sensor kind -> rule set id */
  sensors: ReadonlyMap<string, string>;
}

export interface Resolved {
  ruleSet: RuleSet;
  /** False when nothing is assigned to the device: it keeps its own rules. */
  assigned: boolean;
}

export function effectiveRuleSet(
  deviceId: string,
  sets: ReadonlyMap<string, { name: string; body: RuleSet }>,
  assignments: Assignments,
  defaults: RuleSet,
  kinds: readonly SensorKind[],
): Resolved {
  const direct = assignments.devices.get(deviceId);
  const set = direct ? sets.get(direct) : undefined;
  if (set) return { ruleSet: set.body, assigned: true };
  const rules: RuleSet['rules'] = [];
  const names: string[] = [];
  let assigned = false;
  for (const kind of kinds) {
    const id = assignments.sensors.get(kind);
    const source = id ? sets.get(id) : undefined;
    if (source) {
      assigned = true;
      names.push(`${kind}:${source.name}`);
      rules.push(...source.body.rules.filter((r) => r.sensor === kind));
    } else {
      rules.push(...defaults.rules.filter((r) => r.sensor === kind));
    }
  }
  if (!assigned) return { ruleSet: defaults, assigned: false };
  return { ruleSet: { version: RULE_SET_VERSION, name: names.join(','), rules }, assigned: true };
}
