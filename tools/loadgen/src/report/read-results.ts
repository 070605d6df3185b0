/**
 * Reads load-test results: k6 `--out json` point files and `--summary-export` files, from k6
 * itself or from the Node runner (same formats). Runs are identified by the `workload`,
 * `profile` and `distribution` tags, or else by the file name `<runner>__<workload>__<profile>`.
 */
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';

/** One request (or MQTT publish): when it finished, how long it took, whether it failed. */
export interface Sample {
  t: number;
  ms: number;
  failed: boolean;
}

export interface SummaryFile {
  metrics: Record<string, Record<string, unknown>>;
  state?: { testRunDurationMs?: number };
  loadgen?: { workload?: string; profile?: string; distribution?: string; vus?: number };
}

export interface RunData {
  key: string;
  runner: string;
  workload: string;
  profile: string;
  distribution: string;
  vus: number | undefined;
  samples: Sample[];
  summary?: SummaryFile;
  files: string[];
}

const LATENCY_METRICS = new Set(['http_req_duration', 'mqtt_pub_duration']);
const FAILED_METRICS = new Set(['http_req_failed', 'mqtt_pub_failed']);

interface Identity {
  runner: string;
  workload: string;
  profile: string;
}

/** `k6__iot-list__normal-smoke.json` -> runner k6, workload iot-list, profile normal-smoke. */
export function identityFromName(file: string): Identity {
  const name = basename(file).replace(/\.summary\.json$|\.json$|\.ndjson$/, '');
  const parts = name.split('__');
  if (parts.length === 3) return { runner: parts[0], workload: parts[1], profile: parts[2] };
  if (parts.length === 2) return { runner: 'k6', workload: parts[0], profile: parts[1] };
  return { runner: 'k6', workload: name, profile: 'unknown' };
}

export function distributionOf(profile: string): string {
  return /^(normal|poisson|uniform|exponential)\b/.exec(profile)?.[1] ?? 'unknown';
}

function vusOf(profile: string): number | undefined {
  const m = /-(\d+)vu-/.exec(profile);
  if (m) return Number(m[1]);
  return profile.endsWith('-smoke') ? 50 : undefined;
}

export function runKey(runner: string, workload: string, profile: string): string {
  return `${runner}:${workload}:${profile}`;
}

class RunSet {
  readonly runs = new Map<string, RunData>();

  get(runner: string, workload: string, profile: string, distribution?: string): RunData {
    const key = runKey(runner, workload, profile);
    let run = this.runs.get(key);
    if (!run) {
      run = {
        key,
        runner,
        workload,
        profile,
        distribution: distribution ?? distributionOf(profile),
        vus: vusOf(profile),
        samples: [],
        files: [],
      };
      this.runs.set(key, run);
    }
    return run;
  }
}

interface PointLine {
  type: string;
  metric: string;
  data: { time?: string; value?: number; tags?: Record<string, string> | null };
}

async function readPoints(file: string, set: RunSet): Promise<void> {
  const fallback = identityFromName(file);
  const input = createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  // Requests whose failure flag arrives in a separate *_failed point, matched by time + name.
  const touched = new Set<RunData>();
  for await (const line of lines) {
    if (!line.startsWith('{"type":"Point"') && !line.includes('"Point"')) continue;
    let p: PointLine;
    try {
      p = JSON.parse(line) as PointLine;
    } catch {
      continue;
    }
    if (p.type !== 'Point' || (!LATENCY_METRICS.has(p.metric) && !FAILED_METRICS.has(p.metric)))
      continue;
    const tags = p.data.tags ?? {};
    if (tags['name']?.endsWith('(setup)') || tags['group'] === '::setup') continue;
    const run = set.get(
      fallback.runner,
      tags['workload'] ?? fallback.workload,
      tags['profile'] ?? fallback.profile,
      tags['distribution'],
    );
    touched.add(run);
    const t = Date.parse(p.data.time ?? '');
    const value = p.data.value ?? 0;
    if (LATENCY_METRICS.has(p.metric)) {
      run.samples.push({ t, ms: value, failed: tags['expected_response'] === 'false' });
    } else if (value !== 0 && p.metric === 'mqtt_pub_failed') {
      // MQTT publishes carry no expected_response tag; mark the matching sample.
      const last = run.samples[run.samples.length - 1];
      if (last && last.t === t) last.failed = true;
    }
  }
  for (const run of touched) run.files.push(file);
}

function readSummary(file: string, set: RunSet): void {
  const summary = JSON.parse(readFileSync(file, 'utf8')) as SummaryFile;
  if (!summary.metrics) return;
  const id = identityFromName(file);
  const run = set.get(
    summary.loadgen ? 'loadgen' : id.runner,
    summary.loadgen?.workload ?? id.workload,
    summary.loadgen?.profile ?? id.profile,
    summary.loadgen?.distribution,
  );
  if (summary.loadgen?.vus) run.vus = summary.loadgen.vus;
  run.summary = summary;
  run.files.push(file);
}

async function isPointsFile(file: string): Promise<boolean> {
  const input = createReadStream(file, { start: 0, end: 200 });
  for await (const chunk of input) return String(chunk).startsWith('{"type":');
  return false;
}

/** Every result file in the given files or directories (not recursive). */
export async function readResults(paths: readonly string[]): Promise<RunData[]> {
  const files = paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.json') || f.endsWith('.ndjson'))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
  const set = new RunSet();
  for (const f of files) {
    if (f.endsWith('.summary.json')) readSummary(f, set);
    else if (await isPointsFile(f)) await readPoints(f, set);
  }
  return [...set.runs.values()].sort((a, b) => a.key.localeCompare(b.key));
}
