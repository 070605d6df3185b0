/**
 * `loadgen:smoke`: the whole stack on embedded servers, every wait distribution at 50 VUs
 * against /readings and /iot, then the report with plots. CI runs it.
 */
import { DISTRIBUTION_KINDS, resolveRunConfig } from '@iotmon/load-profiles';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildReport } from '../report/build-report';
import { runHttp } from '../runner/http-runner';
import { runMqtt } from '../runner/mqtt-runner';
import { PointsFile } from '../runner/points-file';
import { resultFiles } from '../runner/result-files';
import { startStack } from '../smoke/stack';
import { readCli, stringFlag } from './args';

const HELP = `usage: npx nx run loadgen:smoke [-- options]
   or: node tools/run-ts.mjs tools/loadgen/src/cli/smoke.ts [options]
Starts the stack (tools/start.mjs, embedded PostgreSQL and broker, free ports, a temporary
DATA_DIR), runs every wait distribution at 50 VUs against each workload, writes the report
(report.md, report.html, plots/*.svg) and stops the stack. Exit 99 if a threshold failed.

  --duration D     per run (default LOADGEN_DURATION or 20s; e.g. 5s for a quick check)
  --vus N          per run (default 50)
  --workloads W,W  default readings-post,iot-list
  --mqtt           also run MQTT device load per distribution
  --out DIR        results and report (default test-artifacts/loadgen-smoke)
  --baseline FILE  compare with a saved baseline; --save-baseline FILE to write one
  --base-url URL   use a running api instead of starting the stack (API_KEY from env)
  --no-thresholds  exit 0 even when thresholds fail`;

export async function main(argv: string[]): Promise<number> {
  const args = readCli(argv, HELP, [
    'duration',
    'vus',
    'workloads',
    'mqtt',
    'out',
    'baseline',
    'save-baseline',
    'base-url',
    'no-thresholds',
    'help',
  ]);
  if (!args) return 0;
  const root = resolve(__dirname, '../../../../..');
  const duration = stringFlag(args, 'duration') ?? process.env['LOADGEN_DURATION'] ?? '20s';
  const vus = stringFlag(args, 'vus') ?? '50';
  const workloads = (stringFlag(args, 'workloads') ?? 'readings-post,iot-list').split(',');
  const outDir = resolve(root, stringFlag(args, 'out') ?? 'test-artifacts/loadgen-smoke');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const external = stringFlag(args, 'base-url');
  const adminKey = external ? (process.env['API_KEY'] ?? '') : randomBytes(24).toString('hex');
  const dataDir = external ? '' : mkdtempSync(join(tmpdir(), 'iotmon-smoke-'));
  // Embedded PostgreSQL drops root privileges for initdb, which must traverse this directory.
  if (dataDir) chmodSync(dataDir, 0o755);
  let stack: Awaited<ReturnType<typeof startStack>> | null = null;
  const stopAll = async () => {
    await stack?.stop();
    stack = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = () => void stopAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const failures: string[] = [];
  try {
    let baseUrl = external;
    let mqttUrl = process.env['MQTT_URL'] ?? 'mqtt://localhost:1883';
    let mqttLogin = {
      username: process.env['MQTT_USERNAME'],
      password: process.env['MQTT_PASSWORD'],
    };
    if (!baseUrl) {
      console.error(
        `smoke: starting the stack (data in ${dataDir}, log in ${join(outDir, 'stack.log')})`,
      );
      stack = await startStack({ root, dataDir, adminKey, logFile: join(outDir, 'stack.log') });
      baseUrl = stack.apiUrl;
      mqttUrl = stack.mqttUrl;
      mqttLogin = stack.fleetLogin();
      console.error(`smoke: stack ready, api ${baseUrl}, mqtt ${mqttUrl}`);
    }
    for (const distribution of DISTRIBUTION_KINDS) {
      for (const workload of workloads) {
        const config = resolveRunConfig({
          BASE_URL: baseUrl,
          API_KEY: adminKey,
          WORKLOAD: workload,
          PROFILE: `${distribution}-smoke`,
          DURATION: duration,
          VUS: vus,
          SEED: process.env['SEED'],
        });
        const files = resultFiles(outDir, 'loadgen', config.workload.id, config.profile.id);
        const points = new PointsFile(files.points);
        const result = await runHttp({ config, sink: points });
        await points.close();
        writeFileSync(files.summary, `${JSON.stringify(result.summary, null, 2)}\n`);
        for (const f of [
          ...result.setupFailures.map((s) => `setup ${s}`),
          ...result.failedThresholds,
        ]) {
          failures.push(`${workload} ${config.profile.id}: ${f}`);
        }
      }
      if (args.flags['mqtt']) {
        const profile = resolveRunConfig({
          PROFILE: `${distribution}-smoke`,
          DURATION: duration,
          VUS: vus,
        }).profile;
        const files = resultFiles(outDir, 'loadgen', 'mqtt-publish', profile.id);
        const points = new PointsFile(files.points);
        const result = await runMqtt({
          url: mqttUrl,
          ...mqttLogin,
          profile,
          seed: '1',
          qos: 1,
          batch: 4,
          sink: points,
        });
        await points.close();
        writeFileSync(files.summary, `${JSON.stringify(result.summary, null, 2)}\n`);
        for (const f of result.failedThresholds) failures.push(`mqtt-publish ${profile.id}: ${f}`);
      }
    }
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const report = await buildReport({
    inputs: [outDir],
    outDir,
    title: `Smoke load test (${duration} per run, ${vus} VUs)`,
    baselineFile: stringFlag(args, 'baseline'),
    saveBaselineFile: stringFlag(args, 'save-baseline'),
  });
  console.log(`smoke: report ${report.markdown} and ${report.html} (${report.plots.length} plots)`);
  for (const f of failures) console.log(`  ${f}`);
  for (const r of report.regressions) console.log(`  REGRESSION ${r.id} ${r.metric}`);
  if (failures.length && !args.flags['no-thresholds']) return 99;
  return report.regressions.length ? 3 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`loadgen smoke: ${err.message}`);
      process.exit(2);
    },
  );
}
