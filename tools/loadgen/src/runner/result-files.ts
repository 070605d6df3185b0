/** Where a run's files go: `<dir>/<runner>__<workload>__<profile>.{json,summary.json}`. */
import { join } from 'node:path';

export interface ResultFiles {
  points: string;
  summary: string;
}

export function resultFiles(
  dir: string,
  runner: string,
  workload: string,
  profile: string,
): ResultFiles {
  const base = join(dir, `${runner}__${workload}__${profile}`);
  return { points: `${base}.json`, summary: `${base}.summary.json` };
}
