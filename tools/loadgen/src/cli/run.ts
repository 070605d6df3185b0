/** `loadgen run`: one workload x one load profile against a live api, k6-style outputs. */
import { RUN_ENV_VARS, resolveRunConfig } from '@iotmon/load-profiles';
import { mkdirSync, writeFileSync } from 'node:fs';
import { runHttp } from '../runner/http-runner';
import { PointsFile } from '../runner/points-file';
import { resultFiles } from '../runner/result-files';
import { readCli, stringFlag } from './args';

const FLAGS: Record<string, string> = {
  'base-url': 'BASE_URL',
  'api-key': 'API_KEY',
  workload: 'WORKLOAD',
  profile: 'PROFILE',
  vus: 'VUS',
  duration: 'DURATION',
  seed: 'SEED',
  devices: 'DEVICES',
  'batch-size': 'BATCH_SIZE',
};

const HELP = `usage: node tools/run-ts.mjs tools/loadgen/src/cli/run.ts [options]
Runs one workload under one load profile with undici (a closed model like k6 constant-vus)
and writes k6-compatible results: JSON points (k6 --out json) and a summary (k6
--summary-export). Exits 99 when a threshold fails, as k6 does.

Options (each also read from the environment variable shown, as the k6 scripts do):
${Object.entries(FLAGS)
  .map(([f, env]) => `  --${f.padEnd(11)} ${env.padEnd(11)} ${RUN_ENV_VARS[env]}`)
  .join('\n')}
  --out DIR      write <DIR>/loadgen__<workload>__<profile>.json and .summary.json (default tmp/loadgen)
  --quiet        no progress line
  --no-thresholds  exit 0 even when thresholds fail`;

export async function main(argv: string[]): Promise<number> {
  const args = readCli(argv, HELP, [
    ...Object.keys(FLAGS),
    'out',
    'quiet',
    'no-thresholds',
    'help',
  ]);
  if (!args) return 0;
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [flag, name] of Object.entries(FLAGS)) {
    const v = stringFlag(args, flag);
    if (v !== undefined) env[name] = v;
  }
  const config = resolveRunConfig(env);
  const outDir = stringFlag(args, 'out') ?? 'tmp/loadgen';
  mkdirSync(outDir, { recursive: true });
  const files = resultFiles(outDir, 'loadgen', config.workload.id, config.profile.id);
  const points = new PointsFile(files.points);
  console.error(
    `loadgen: ${config.workload.id} at ${config.profile.vus} VUs for ${config.profile.durationS}s, ` +
      `${config.profile.distribution} waits, against ${config.baseUrl}`,
  );
  const result = await runHttp({ config, sink: points, progress: !args.flags['quiet'] });
  await points.close();
  writeFileSync(files.summary, `${JSON.stringify(result.summary, null, 2)}\n`);
  const m = result.summary.metrics;
  const reqs = m['http_reqs'] as { count?: number; rate?: number } | undefined;
  const dur = m['http_req_duration'] as Record<string, number> | undefined;
  console.log(
    `${config.workload.id} ${config.profile.id}: ${reqs?.count ?? 0} requests, ${(reqs?.rate ?? 0).toFixed(1)}/s, ` +
      `p95 ${(dur?.['p(95)'] ?? 0).toFixed(1)} ms, p99 ${(dur?.['p(99)'] ?? 0).toFixed(1)} ms -> ${files.summary}`,
  );
  for (const f of result.failedThresholds) console.log(`  threshold failed: ${f}`);
  return result.failedThresholds.length && !args.flags['no-thresholds'] ? 99 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`loadgen run: ${err.message}`);
      process.exit(2);
    },
  );
}
