/** Scores findings against a scenario's expectations: missing ones fail it, extra ones are false alarms. */
import type { Finding } from '../src/detectors';
import type { Expectation, Scenario } from './scenario';

export interface ScenarioScore {
  name: string;
  passed: boolean;
  missing: Expectation[];
  falseAlarms: Finding[];
}

export function matches(f: Finding, e: Expectation): boolean {
  if (f.detector !== e.detector) return false;
  if (e.subject && !f.subject.includes(e.subject)) return false;
  const text = JSON.stringify(f.evidence).toLowerCase();
  return (e.evidence ?? []).every((w) => text.includes(w.toLowerCase()));
}

export function score(s: Scenario, findings: Finding[]): ScenarioScore {
  const missing = s.expect.filter((e) => !findings.some((f) => matches(f, e)));
  const falseAlarms = findings.filter(
    (f) => !s.expect.some((e) => matches(f, e)) && !(s.allow ?? []).includes(f.detector),
  );
  return {
    name: s.name,
    passed: missing.length === 0 && falseAlarms.length === 0,
    missing,
    falseAlarms,
  };
}
