/**
 * Runs one workload under one load profile against a live api with undici: a closed model
 * of `vus` virtual users, each doing an iteration of the shared workload steps and then
 * waiting a think time drawn from the profile's seeded distribution (like k6 constant-vus).
 */
import {
  createRng,
  createWait,
  runTags,
  type RequestSpec,
  type RunConfig,
  type StepContext,
} from '@iotmon/load-profiles';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { declareHttpMetrics, MetricsRecorder, percentile, type MetricSink } from './metrics';
import { ProgressLine } from './progress';
import { buildSummary, type CheckCount, type SummaryResult } from './summary';

export interface HttpRunOptions {
  config: RunConfig;
  /** Extra receiver of every sample (the k6-style JSON points file). */
  sink?: MetricSink;
  /** Show progress on stderr (default true). */
  progress?: boolean;
  /** Time in-flight iterations get after the duration ends before they are aborted. */
  gracefulStopS?: number;
  log?: (line: string) => void;
}

export interface HttpRunResult extends SummaryResult {
  setupFailures: string[];
}

interface Response {
  status: number;
  body: string;
}

export async function runHttp(opts: HttpRunOptions): Promise<HttpRunResult> {
  const { config } = opts;
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const base = new URL(config.baseUrl);
  const basePath = base.pathname.replace(/\/$/, '');
  const pool = new Pool(base.origin, {
    connections: Math.max(1, config.profile.vus),
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const abort = new AbortController();
  // Every in-flight request listens for the hard stop.
  setMaxListeners(0, abort.signal);

  async function send(req: RequestSpec): Promise<Response & { sent: number }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (req.auth && config.apiKey) headers['x-api-key'] = config.apiKey;
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    try {
      const res = await pool.request({
        method: req.method,
        path: basePath + req.path,
        headers,
        body,
        signal: abort.signal,
      });
      return { status: res.statusCode, body: await res.body.text(), sent: body?.length ?? 0 };
    } catch {
      // Connection refused, reset or aborted: k6 reports these as status 0.
      return { status: 0, body: '', sent: body?.length ?? 0 };
    }
  }

  const setupFailures: string[] = [];
  for (const req of config.workload.setup(config.settings, Date.now())) {
    const res = await send(req);
    if (!req.expect.includes(res.status)) {
      setupFailures.push(`${req.name} -> ${res.status} ${res.body.slice(0, 200)}`);
    }
  }
  for (const f of setupFailures) log(`setup: ${f} (continuing)`);

  const recorder = new MetricsRecorder();
  if (opts.sink) recorder.pipe(opts.sink);
  declareHttpMetrics(recorder);
  recorder.declare('vus', 'gauge');
  const runTagSet = { ...runTags(config), scenario: config.workload.id };
  const checks = new Map<string, CheckCount>();
  let requests = 0;
  let failed = 0;
  let activeVus = 0;
  let recent: number[] = [];

  const durationMs = config.profile.durationS * 1000;
  const start = Date.now();
  const end = start + durationMs;
  const graceMs = (opts.gracefulStopS ?? 10) * 1000;

  async function vuLoop(vu: number): Promise<void> {
    const rng = createRng(`${config.seed}:${vu}:payload`);
    const wait = createWait(config.profile.wait, `${config.seed}:${vu}`);
    activeVus++;
    for (let iteration = 0; Date.now() < end && !abort.signal.aborted; iteration++) {
      const ctx: StepContext = {
        vu,
        iteration,
        rng,
        now: Date.now(),
        vars: {},
        settings: config.settings,
      };
      const iterStart = performance.now();
      for (const step of config.workload.steps) {
        const req = step.build(ctx);
        if (req === null) continue;
        const t0 = performance.now();
        const res = await send(req);
        const ms = performance.now() - t0;
        if (abort.signal.aborted) break;
        const ok = req.expect.includes(res.status);
        const time = Date.now();
        const tags = {
          ...runTagSet,
          name: req.name,
          method: req.method,
          status: String(res.status),
          expected_response: String(ok),
        };
        recorder.add({ metric: 'http_reqs', time, value: 1, tags });
        recorder.add({ metric: 'http_req_duration', time, value: ms, tags });
        recorder.add({ metric: 'http_req_failed', time, value: ok ? 0 : 1, tags });
        recorder.add({ metric: 'data_sent', time, value: res.sent, tags });
        recorder.add({ metric: 'data_received', time, value: res.body.length, tags });
        const checkName = `${req.name}: expected status`;
        const c = checks.get(checkName) ?? { passes: 0, fails: 0 };
        if (ok) c.passes++;
        else c.fails++;
        checks.set(checkName, c);
        requests++;
        if (!ok) failed++;
        recent.push(ms);
        if (ok && step.capture) {
          try {
            step.capture(JSON.parse(res.body), ctx);
          } catch {
            // Not JSON: nothing captured, dependent steps skip.
          }
        }
      }
      if (abort.signal.aborted) break;
      recorder.add({ metric: 'iterations', time: Date.now(), value: 1, tags: runTagSet });
      recorder.add({
        metric: 'iteration_duration',
        time: Date.now(),
        value: performance.now() - iterStart,
        tags: runTagSet,
      });
      const pause = Math.min(wait(), end - Date.now());
      if (pause > 0) await sleep(pause);
    }
    activeVus--;
  }

  const progress =
    opts.progress === false ? null : new ProgressLine(`${config.workload.id} ${config.profile.id}`);
  const state = () => ({
    elapsedS: Math.min(durationMs, Date.now() - start) / 1000,
    totalS: config.profile.durationS,
    requests,
    failed,
    activeVus,
    recentP95Ms: percentile(Float64Array.from(recent).sort(), 95),
  });
  const ticker = setInterval(() => {
    recorder.add({ metric: 'vus', time: Date.now(), value: activeVus, tags: runTagSet });
    progress?.update(state());
    recent = [];
  }, 1000);
  const hardStop = setTimeout(() => abort.abort(), durationMs + graceMs);
  try {
    await Promise.all(Array.from({ length: config.profile.vus }, (_, i) => vuLoop(i + 1)));
  } finally {
    clearInterval(ticker);
    clearTimeout(hardStop);
    await pool.close();
  }
  progress?.done(state());

  const result = buildSummary(recorder, checks, config.workload.thresholds, Date.now() - start, {
    runner: 'loadgen',
    workload: config.workload.id,
    profile: config.profile.id,
    distribution: config.profile.distribution,
    vus: config.profile.vus,
    durationS: config.profile.durationS,
    seed: config.seed,
    target: config.baseUrl,
    startedAt: new Date(start).toISOString(),
  });
  return { ...result, setupFailures };
}
