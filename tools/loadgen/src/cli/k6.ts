/** `loadgen k6`: runs a k6 script unchanged with the k6-compatible runner (no k6 binary). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runK6Script } from '../k6-compat/k6-runner';
import { readCli, stringFlag } from './args';

const HELP = `usage: node tools/run-ts.mjs tools/loadgen/src/cli/k6.ts [options] SCRIPT.js
Runs a k6 script as \`k6 run\` would: its options (vus, duration, iterations, stages,
thresholds), check(), sleep(), k6/http with redirects followed. Exits 99 when a threshold
fails, as k6 does. Only loopback addresses are dialled: map the script's hosts.

Options:
  --hosts LIST       name[:port]=address:port,...  as k6's hosts option
                     (e.g. iot-api.local=127.0.0.1:3000)
  --env LIST         NAME=value,...  the script's __ENV (k6 -e)
  --vus N            override the script's vus (k6 --vus)
  --duration D       override its duration, e.g. 10s (k6 --duration)
  --iterations N     override its iterations (k6 --iterations)
  --summary-export FILE  write the k6-shaped summary JSON there`;

function pairs(list: string | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list ?? '').split(',').filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`--${flag}: "${item}" is not NAME=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const args = readCli(argv, HELP, [
    'hosts',
    'env',
    'vus',
    'duration',
    'iterations',
    'summary-export',
  ]);
  if (!args) return 0;
  const script = args.positional[0];
  if (!script) throw new Error('name the k6 script to run (see --help)');
  const result = await runK6Script({
    script,
    hosts: pairs(stringFlag(args, 'hosts'), 'hosts'),
    env: pairs(stringFlag(args, 'env'), 'env'),
    overrides: {
      vus: positiveInt(stringFlag(args, 'vus'), 'vus'),
      duration: stringFlag(args, 'duration'),
      iterations: positiveInt(stringFlag(args, 'iterations'), 'iterations'),
    },
  });
  for (const [name, c] of result.checks) {
    console.log(`${c.fails ? '✗' : '✓'} ${name}  ${c.passes} passed, ${c.fails} failed`);
  }
  const m = result.summary.metrics;
  console.log(
    `http_reqs=${m['http_reqs']?.['count'] ?? 0} iterations=${result.iterations} ` +
      `http_req_failed=${m['http_req_failed']?.['value'] ?? 0} ` +
      `p95_ms=${Number(m['http_req_duration']?.['p(95)'] ?? 0).toFixed(1)}`,
  );
  for (const e of result.iterationErrors.slice(0, 5)) console.log(`iteration error: ${e}`);
  const out = stringFlag(args, 'summary-export');
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(result.summary, null, 2));
  }
  for (const t of result.failedThresholds) console.log(`threshold failed: ${t}`);
  return result.failedThresholds.length ? 99 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
