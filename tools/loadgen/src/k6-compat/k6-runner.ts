/**
 * Runs a k6 script unchanged in Node: the script is bundled with esbuild (k6 modules left
 * external), each VU evaluates it in its own worker thread (vu-worker.cjs) with shims for
 * `k6` (check, sleep, group, fail), `k6/http` and `k6/execution`, and the executors follow
 * k6's shortcut options. Results are k6-shaped: the `--summary-export` summary of
 * runner/summary.ts, thresholds from the script's `options.thresholds`.
 */
import { buildSync } from 'esbuild';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { declareHttpMetrics, MetricsRecorder } from '../runner/metrics';
import { buildSummary, type CheckCount, type SummaryResult } from '../runner/summary';
import {
  executionPlan,
  maxVus,
  planDurationMs,
  rampingTarget,
  thresholdStrings,
  type ExecutionPlan,
  type K6Options,
  type PlanOverrides,
} from './execution-plan';
import { HttpBridge, type BridgeRequest, type HostMap } from './http-bridge';

export interface K6RunOptions {
  script: string;
  /** `__ENV` of the script (k6 `-e`); the process environment is not passed on. */
  env?: Record<string, string>;
  hosts?: HostMap;
  overrides?: PlanOverrides;
  /** Time an iteration still running at the end gets before its VU is stopped (k6: 30 s). */
  gracefulStopMs?: number;
  log?: (line: string) => void;
}

export interface K6RunResult extends SummaryResult {
  plan: ExecutionPlan;
  checks: Map<string, CheckCount>;
  iterations: number;
  /** Iterations that threw, and VUs stopped mid-iteration (k6 "interrupted"). */
  iterationErrors: string[];
  interruptedVus: number;
}

type WorkerMessage =
  | { type: 'ready'; options: K6Options }
  | { type: 'check'; name: string; ok: boolean }
  | { type: 'iteration'; durationMs: number; error?: string }
  | { type: 'fatal'; message: string }
  | { type: 'done' };

/** The workspace root, from source (Jest) or from dist/ (tools/run-ts.mjs). */
function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('workspace root (nx.json) not found');
    dir = up;
  }
  return dir;
}

const WORKER = join(workspaceRoot(), 'tools/loadgen/src/k6-compat/vu-worker.cjs');

/** The script as one CommonJS function body; k6's own modules stay `require` calls. */
export function bundleScript(script: string): string {
  const out = buildSync({
    entryPoints: [script],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2020',
    external: ['k6', 'k6/*'],
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

// Control cells shared with every VU (see vu-worker.cjs).
const STOP = 0;
const ACTIVE = 1;
const LIMIT = 3;

export async function runK6Script(opts: K6RunOptions): Promise<K6RunResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const scriptPath = resolve(opts.script);
  const code = bundleScript(scriptPath);
  const control = new Int32Array(new SharedArrayBuffer(16));
  Atomics.store(control, LIMIT, -1);
  const bridge = new HttpBridge(opts.hosts ?? {});
  const recorder = new MetricsRecorder();
  declareHttpMetrics(recorder);
  recorder.declare('checks', 'rate');
  const checks = new Map<string, CheckCount>();
  const iterationErrors: string[] = [];
  let iterations = 0;
  const workers: { worker: Worker; done: Promise<void>; finished: boolean }[] = [];
  let fatal: string | undefined;

  const spawn = (vu: number, onReady: (o: K6Options) => void) => {
    const { port1, port2 } = new MessageChannel();
    const replyCell = new SharedArrayBuffer(4);
    const reply = new Int32Array(replyCell);
    const worker = new Worker(WORKER, {
      workerData: {
        code,
        scriptPath,
        env: opts.env ?? {},
        vu,
        httpPort: port2,
        replyCell,
        control: control.buffer,
      },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: 64 },
    });
    port1.on('message', (req: BridgeRequest) => {
      void bridge.send(req).then((res) => {
        const time = Date.now();
        for (const hop of res.hops) {
          const ok = hop.status >= 200 && hop.status < 400;
          const tags = {
            method: hop.method,
            url: hop.url,
            status: String(hop.status),
            expected_response: String(ok),
          };
          recorder.add({ metric: 'http_reqs', time, value: 1, tags });
          recorder.add({ metric: 'http_req_duration', time, value: hop.durationMs, tags });
          recorder.add({ metric: 'http_req_failed', time, value: ok ? 0 : 1, tags });
          recorder.add({ metric: 'data_sent', time, value: hop.sentBytes, tags });
          recorder.add({ metric: 'data_received', time, value: hop.receivedBytes, tags });
        }
        if (res.error) log(`VU ${vu}: ${res.method} ${res.requestUrl}: ${res.error}`);
        port1.postMessage(res);
        Atomics.store(reply, 0, 1);
        Atomics.notify(reply, 0);
      });
    });
    const entry = { worker, finished: false, done: Promise.resolve() };
    entry.done = new Promise<void>((resolveDone) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') onReady(m.options);
        else if (m.type === 'check') {
          const c = checks.get(m.name) ?? { passes: 0, fails: 0 };
          if (m.ok) c.passes++;
          else c.fails++;
          checks.set(m.name, c);
          recorder.add({
            metric: 'checks',
            time: Date.now(),
            value: m.ok ? 1 : 0,
            tags: { check: m.name },
          });
        } else if (m.type === 'iteration') {
          iterations++;
          recorder.add({ metric: 'iterations', time: Date.now(), value: 1, tags: {} });
          recorder.add({
            metric: 'iteration_duration',
            time: Date.now(),
            value: m.durationMs,
            tags: {},
          });
          if (m.error) iterationErrors.push(`VU ${vu}: ${m.error}`);
        } else if (m.type === 'fatal') fatal ??= m.message;
        else if (m.type === 'done') entry.finished = true;
      });
      worker.once('error', (e) => {
        fatal ??= `VU ${vu}: ${e.message}`;
      });
      worker.once('exit', () => {
        port1.close();
        resolveDone();
      });
    });
    workers.push(entry);
  };

  // VU 1 evaluates the init code first: its options decide how many more VUs there are.
  const options = await new Promise<K6Options>((ok, fail) => {
    spawn(1, ok);
    void workers[0].done.then(() => fail(new Error(fatal ?? 'VU 1 exited during init')));
  });
  const plan = executionPlan(options, opts.overrides);
  const total = maxVus(plan);
  await Promise.all(
    Array.from(
      { length: total - 1 },
      (_, i) => new Promise<void>((ok) => spawn(i + 2, () => ok())),
    ),
  );
  if (fatal) throw new Error(fatal);
  if (plan.executor === 'shared-iterations') Atomics.store(control, LIMIT, plan.iterations);
  Atomics.store(control, ACTIVE, plan.executor === 'ramping-vus' ? plan.startVus : total);
  log(`${basename(scriptPath)}: ${describe(plan)}`);

  const start = Date.now();
  const durationMs = planDurationMs(plan);
  const ramp =
    plan.executor === 'ramping-vus'
      ? setInterval(
          () => Atomics.store(control, ACTIVE, rampingTarget(plan, Date.now() - start)),
          100,
        )
      : undefined;
  for (const w of workers) w.worker.postMessage('start');
  const allDone = Promise.all(workers.map((w) => w.done));
  let stopTimer: NodeJS.Timeout | undefined;
  await Promise.race([allDone, new Promise((r) => (stopTimer = setTimeout(r, durationMs)))]);
  Atomics.store(control, STOP, 1);
  clearTimeout(stopTimer);
  if (ramp) clearInterval(ramp);
  // In-flight iterations finish within the graceful stop; then their VUs are stopped.
  const grace = setTimeout(() => {
    for (const w of workers) if (!w.finished) void w.worker.terminate();
  }, opts.gracefulStopMs ?? 30_000);
  await allDone;
  clearTimeout(grace);
  await bridge.close();
  const elapsed = Date.now() - start;
  const summary = buildSummary(recorder, checks, thresholdStrings(options), elapsed, {
    runner: 'loadgen',
    workload: basename(scriptPath),
    profile: plan.executor,
    distribution: 'script',
    vus: total,
    durationS: durationMs / 1000,
    seed: '',
    target: Object.entries(opts.hosts ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    startedAt: new Date(start).toISOString(),
  });
  if (fatal) throw new Error(fatal);
  return {
    ...summary,
    plan,
    checks,
    iterations,
    iterationErrors,
    interruptedVus: workers.filter((w) => !w.finished).length,
  };
}

function describe(plan: ExecutionPlan): string {
  switch (plan.executor) {
    case 'shared-iterations':
      return `${plan.iterations} iterations shared by ${plan.vus} VUs (max ${plan.maxDurationMs / 1000} s)`;
    case 'constant-vus':
      return `${plan.vus} VUs for ${plan.durationMs / 1000} s`;
    case 'ramping-vus':
      return `ramping VUs from ${plan.startVus} over ${plan.stages.length} stages`;
  }
}
