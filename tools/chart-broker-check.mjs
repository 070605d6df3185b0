#!/usr/bin/env node
// Runs the chart's Mosquitto configuration on Debian's Mosquitto (part of `chart:test`): the
// mosquitto.conf rendered with ci/tls-dynsec-values.yaml, the dynamic-security file written by
// the init container's tool (dist/tools/stack/dynsec-file.js), a local CA's certificate as the
// TLS Secret. An anonymous client must be refused, a service must sign in over TLS and a
// plain-text client must get no CONNACK on the TLS port.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, root } from './compile.mjs';
import { helmBinary } from './helm.mjs';

const PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** The `mosquitto.conf: |` block of the rendered ConfigMap, dedented. */
function renderedConf() {
  const values = join(root, 'helm/iotmon/ci/tls-dynsec-values.yaml');
  const args = ['template', 'iotmon', join(root, 'helm/iotmon'), '-f', values];
  const r = spawnSync(helmBinary(), [...args, '--show-only', 'templates/mosquitto.yaml'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`helm template: ${r.stderr}`);
  const lines = r.stdout.split('\n');
  const at = lines.findIndex((l) => l.trim() === 'mosquitto.conf: |');
  const out = [];
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith('    ')) break;
    out.push(l.slice(4));
  }
  return out.join('\n');
}

export async function checkChartBroker() {
  if (spawnSync('sh', ['-c', 'command -v mosquitto_pub && test -e ' + PLUGIN]).status) {
    if (process.env['CI']) return ['mosquitto or its dynamic-security plugin is missing'];
    console.warn('mosquitto not installed: chart broker check skipped');
    return [];
  }
  compile({ quiet: true });
  const { createLocalCa } = createRequire(import.meta.url)(
    join(root, 'dist/libs/messaging/src/local-ca.js'),
  );
  const dir = mkdtempSync(join(tmpdir(), 'iotmon-chart-mosquitto-'));
  const [tlsPort, wssPort] = [await freePort(), await freePort()];
  const conf = renderedConf()
    .replaceAll('/mosquitto/', `${dir}/`)
    .replace(/^plugin \S+$/m, `plugin ${PLUGIN}`)
    .replace(/^listener 8883$/m, `listener ${tlsPort} 127.0.0.1`)
    .replace(/^listener 9443$/m, `listener ${wssPort} 127.0.0.1`);
  const failures = [];
  if (/^listener 1883/m.test(conf)) failures.push('TLS values still open plain 1883');
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'certs'));
  const ca = createLocalCa(['localhost']);
  writeFileSync(join(dir, 'certs/tls.crt'), ca.cert);
  writeFileSync(join(dir, 'certs/tls.key'), ca.key);
  writeFileSync(join(dir, 'certs/ca.crt'), ca.caCert);
  writeFileSync(join(dir, 'mosquitto.conf'), conf);
  const passwords = {
    MQTT_PASSWORD_API: 'chart-check-api-pw',
    MQTT_PASSWORD_ALERTING: 'chart-check-alerting-pw',
    MQTT_PASSWORD_EDGE_FLEET: 'chart-check-fleet-pw',
  };
  const init = spawnSync(
    process.execPath,
    [join(root, 'dist/tools/stack/dynsec-file.js'), join(dir, 'data/dynamic-security.json')],
    { env: { ...process.env, ...passwords }, encoding: 'utf8' },
  );
  if (init.status !== 0) failures.push(`init step failed: ${init.stderr}`);
  // As root Mosquitto drops to its own user, which must read and save these files.
  if (process.getuid?.() === 0) {
    const id = (f) => Number(spawnSync('id', [f, 'mosquitto'], { encoding: 'utf8' }).stdout);
    const walk = (d) => [
      d,
      ...readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      ),
    ];
    for (const f of walk(dir)) chownSync(f, id('-u'), id('-g'));
  }
  const broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const pub = (...extra) =>
      spawnSync(
        'mosquitto_pub',
        [
          '-h',
          'localhost',
          '-p',
          String(tlsPort),
          '-q',
          '1',
          '-t',
          'env/edge-1/config',
          '-m',
          '{}',
          ...extra,
        ],
        { encoding: 'utf8', timeout: 10_000 },
      );
    const cafile = ['--cafile', join(dir, 'certs/ca.crt')];
    const svc = ['-u', 'svc:alerting', '-P', passwords.MQTT_PASSWORD_ALERTING];
    if (pub(...cafile).status === 0) failures.push('an anonymous client was admitted');
    const ok = pub(...cafile, ...svc);
    if (ok.status !== 0) failures.push(`svc:alerting refused over TLS: ${ok.stderr}`);
    if (pub(...svc).status === 0) failures.push('a plain-text client was admitted on the TLS port');
    if (!failures.length)
      console.log('chart Mosquitto: anonymous refused, TLS sign-in ok, plain refused');
  } finally {
    broker.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  return failures;
}
