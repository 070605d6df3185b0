/** `loadgen mqtt`: many simulated devices publishing readings with a profile's waits. */
import { findProfile, parseDuration, withOverrides } from '@iotmon/load-profiles';
import { mkdirSync, writeFileSync } from 'node:fs';
import { runMqtt } from '../runner/mqtt-runner';
import { PointsFile } from '../runner/points-file';
import { resultFiles } from '../runner/result-files';
import { readCli, stringFlag } from './args';

const HELP = `usage: node tools/run-ts.mjs tools/loadgen/src/cli/mqtt.ts [options]
Simulated devices (one MQTT connection each) publish readings to env/{device}/{sensor}/raw,
waiting think times from the profile's distribution. Writes k6-style results like \`run\`.

  --url URL        broker (default MQTT_URL or mqtt://localhost:1883); signs in with
                   MQTT_USERNAME / MQTT_PASSWORD (npm start: svc:edge-fleet, password in
                   .data/mqtt-services.json)
  --profile ID     load profile (default normal-smoke); --vus N and --duration 20s override
  --qos 0|1        publish QoS (default 1: latency is the time to PUBACK)
  --batch N        readings per cycle, split by sensor (default 4: one per sensor)
  --seed S         random seed (default 1)
  --out DIR        results directory (default tmp/loadgen)
  --quiet          no progress line`;

export async function main(argv: string[]): Promise<number> {
  const args = readCli(argv, HELP, [
    'url',
    'profile',
    'vus',
    'duration',
    'qos',
    'batch',
    'seed',
    'out',
    'quiet',
    'help',
  ]);
  if (!args) return 0;
  const vus = stringFlag(args, 'vus');
  const duration = stringFlag(args, 'duration');
  const profile = withOverrides(findProfile(stringFlag(args, 'profile') ?? 'normal-smoke'), {
    vus: vus === undefined ? undefined : Number(vus),
    durationS: duration === undefined ? undefined : parseDuration(duration),
  });
  const qos = Number(stringFlag(args, 'qos') ?? '1');
  if (qos !== 0 && qos !== 1) throw new Error('--qos must be 0 or 1');
  const batch = Number(stringFlag(args, 'batch') ?? '4');
  if (!Number.isInteger(batch) || batch < 1) throw new Error('--batch must be a positive integer');
  const url = stringFlag(args, 'url') ?? process.env['MQTT_URL'] ?? 'mqtt://localhost:1883';
  const outDir = stringFlag(args, 'out') ?? 'tmp/loadgen';
  mkdirSync(outDir, { recursive: true });
  const files = resultFiles(outDir, 'loadgen', 'mqtt-publish', profile.id);
  const points = new PointsFile(files.points);
  const result = await runMqtt({
    url,
    username: process.env['MQTT_USERNAME'],
    password: process.env['MQTT_PASSWORD'],
    profile,
    seed: stringFlag(args, 'seed') ?? '1',
    qos,
    batch,
    sink: points,
    progress: !args.flags['quiet'],
  });
  await points.close();
  writeFileSync(files.summary, `${JSON.stringify(result.summary, null, 2)}\n`);
  console.log(`mqtt-publish ${profile.id} -> ${files.summary}`);
  for (const f of result.failedThresholds) console.log(`  threshold failed: ${f}`);
  return result.failedThresholds.length ? 99 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`loadgen mqtt: ${err.message}`);
      process.exit(2);
    },
  );
}
