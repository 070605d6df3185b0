/** An evaluation scenario: a snapshot (fixture) plus the findings the detectors must produce. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DetectorId, Snapshot } from '../src/detectors';

export interface Expectation {
  detector: DetectorId;
  /** When given, the finding's subject must contain this. */
  subject?: string;
  /** Words the evidence must mention (the metric, the table, …). */
  evidence?: string[];
}

export interface Scenario {
  name: string;
  /** recorded: captured from the real stack under the induced fault by record-scenarios.ts. */
  origin: 'recorded' | 'constructed';
  description: string;
  /** The fault induced, or "none" for healthy scenarios. */
  fault: string;
  expect: Expectation[];
  /** Detectors that may also fire as a consequence of the fault (not counted as false alarms). */
  allow?: DetectorId[];
  /** A question an operator would ask, for the LLM part of the evaluation. */
  question?: string;
  snapshot: Snapshot;
}

/** apps/advisor/eval/scenarios of the source tree (not dist's copy), from src or dist. */
export function scenariosDir(from = __dirname): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir))
    if (existsSync(join(dir, 'nx.json'))) return join(dir, 'apps/advisor/eval/scenarios');
  return join(process.cwd(), 'apps/advisor/eval/scenarios');
}

export function loadScenarios(dir = scenariosDir()): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Scenario);
}
