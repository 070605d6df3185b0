/**
 * The default rule set: every kind's default rules from the sensor-kinds catalogue (the
 * built-in kinds' unless a catalogue is given), each with its kind's id as its sensor.
 */
import {
  BUILT_IN_SENSOR_KINDS,
  RULE_SET_VERSION,
  type Rule,
  type RuleSet,
  type SensorKindSpec,
} from '@iotmon/domain';

export function defaultRuleSet(kinds: readonly SensorKindSpec[] = BUILT_IN_SENSOR_KINDS): RuleSet {
  return {
    version: RULE_SET_VERSION,
    name: 'built-in defaults',
    rules: kinds.flatMap((k) => k.defaultRules.map((r) => ({ ...r, sensor: k.id }) as Rule)),
  };
}
