#!/usr/bin/env node
// Checks the Helm chart with the real helm binary (tools/helm.mjs) and its observability
// files with Debian's promtool, and its Mosquitto configuration on Debian's Mosquitto
// (tools/chart-broker-check.mjs): the `chart:lint` and `chart:test` targets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { checkChartBroker } from './chart-broker-check.mjs';
import { helmBinary } from './helm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chart = join(root, 'helm/iotmon');

const USAGE = `usage: node tools/chart-check.mjs [--chart] [--rules] [--broker]

  --chart   helm lint --strict and helm template with every helm/iotmon/ci/*-values.yaml;
            the rendered PrometheusRule must pass promtool and hold every rule, and each
            dashboards/*.json must render into its ConfigMap unchanged; the dashboards must
            be well-formed (unique uid, a Prometheus data-source variable, a query per panel)
  --rules   promtool check rules on helm/iotmon/rules/*.rules.yml and promtool test rules
            on rules/tests/*.test.yml (skipped with a warning when promtool is missing,
            unless CI is set)
  --broker  the chart's mosquitto.conf (TLS + dynamic security) on Debian's Mosquitto with
            the init container's file: anonymous refused, TLS sign-in, plain refused
All when no flag is given.`;

const failures = [];
const fail = (msg) => failures.push(msg);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  return r;
}

function hasPromtool() {
  return !run('sh', ['-c', 'command -v promtool']).status;
}

const ruleFiles = () =>
  readdirSync(join(chart, 'rules'))
    .filter((f) => f.endsWith('.rules.yml'))
    .map((f) => join(chart, 'rules', f));

/** promtool check rules on one file; returns the number of rules it found. */
function promtoolCheck(file, label) {
  const r = run('promtool', ['check', 'rules', file]);
  if (r.status !== 0) {
    fail(`promtool check rules ${label}:\n${r.stdout}${r.stderr}`);
    return 0;
  }
  return Number(/SUCCESS: (\d+) rules found/.exec(r.stdout)?.[1] ?? 0);
}

function checkRules() {
  if (!hasPromtool()) {
    if (process.env['CI']) return fail('promtool not on PATH (apt-get install prometheus)');
    console.warn('promtool not on PATH: rule checks skipped (apt-get install prometheus)');
    return;
  }
  for (const f of ruleFiles()) promtoolCheck(f, f.slice(root.length + 1));
  const testsDir = join(chart, 'rules/tests');
  const tests = readdirSync(testsDir).filter((f) => f.endsWith('.test.yml'));
  const r = run('promtool', ['test', 'rules', ...tests], { cwd: testsDir });
  if (r.status !== 0) fail(`promtool test rules:\n${r.stdout}${r.stderr}`);
  else console.log(`promtool test rules: ${tests.length} files passed`);
}

/** The documents of a `helm template` output, split on the `# Source:` headers. */
function documents(rendered) {
  return rendered
    .split(/^---$/m)
    .map((d) => d.trim())
    .filter(Boolean)
    .map((text) => ({ text, source: /^# Source: (.*)$/m.exec(text)?.[1] ?? '' }));
}

/** The literal block under `key: |-`, dedented: how the ConfigMaps carry the dashboard JSON. */
function literalBlock(text, key) {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() === `${key}: |-`);
  if (at < 0) return undefined;
  const indent = lines[at].indexOf(key) + 2;
  const body = [];
  for (const l of lines.slice(at + 1)) {
    if (l.trim() && l.length - l.trimStart().length < indent) break;
    body.push(l.slice(indent));
  }
  return body.join('\n');
}

function checkDashboards() {
  const dir = join(chart, 'dashboards');
  const uids = new Set();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    if (!d.uid || uids.has(d.uid)) fail(`${f}: missing or repeated uid ${d.uid}`);
    uids.add(d.uid);
    const dsVar = d.templating?.list?.find((v) => v.type === 'datasource');
    if (dsVar?.query !== 'prometheus') fail(`${f}: no Prometheus data-source variable`);
    for (const p of d.panels ?? []) {
      if (!p.targets?.length || p.targets.some((t) => !t.expr))
        fail(`${f}: panel "${p.title}" has no query`);
      if (p.datasource?.uid !== `\${${dsVar?.name}}`)
        fail(`${f}: panel "${p.title}" does not use the data-source variable`);
    }
  }
}

function checkChart() {
  const helm = helmBinary();
  checkDashboards();
  const valueSets = readdirSync(join(chart, 'ci')).filter((f) => f.endsWith('-values.yaml'));
  const hasPromtoolHere = hasPromtool();
  for (const values of valueSets) {
    const args = ['--strict', '-f', join(chart, 'ci', values)];
    const lint = run(helm, ['lint', chart, ...args]);
    if (lint.status !== 0) fail(`helm lint (${values}):\n${lint.stdout}${lint.stderr}`);
    const tpl = run(helm, ['template', 'iotmon', chart, '-f', join(chart, 'ci', values)]);
    if (tpl.status !== 0) {
      fail(`helm template (${values}):\n${tpl.stderr}`);
      continue;
    }
    const docs = documents(tpl.stdout);
    console.log(`helm lint + template ${values}: ${docs.length} objects`);
    for (const doc of docs.filter((d) => d.source.endsWith('grafana-dashboards.yaml'))) {
      const key = /^ {2}(iotmon-[\w-]+\.json): \|-$/m.exec(doc.text)?.[1];
      const body = key && literalBlock(doc.text, key);
      const file = key && JSON.parse(readFileSync(join(chart, 'dashboards', key), 'utf8'));
      if (!body || !isDeepStrictEqual(JSON.parse(body), file))
        fail(`${values}: dashboard ConfigMap ${key} differs from dashboards/${key}`);
      if (!/^ {4}grafana_dashboard: "1"$/m.test(doc.text))
        fail(`${values}: dashboard ConfigMap ${key} lacks the sidecar label`);
    }
    checkMosquittoConf(docs, values);
    checkHttpAuth(docs, values);
    const rule = docs.find((d) => d.source.endsWith('prometheusrule.yaml'));
    if (rule && hasPromtoolHere) checkRenderedRule(rule.text, values);
  }
}

/** The chart's Mosquitto never admits anonymous clients and keeps its accounts in dynsec. */
function checkMosquittoConf(docs, values) {
  const cm = docs.find(
    (d) => d.source.endsWith('mosquitto.yaml') && /^kind: ConfigMap$/m.test(d.text),
  );
  if (!cm) return;
  const conf = cm.text.split('\n').map((l) => l.trim());
  if (!conf.includes('allow_anonymous false') || conf.includes('allow_anonymous true'))
    fail(`${values}: mosquitto.conf does not set allow_anonymous false`);
  if (!conf.some((l) => /^plugin \S*mosquitto_dynamic_security\.so$/.test(l)))
    fail(`${values}: mosquitto.conf does not load the dynamic-security plugin`);
}

/**
 * Every HTTP app of the chart shares the token secret and the admin key from the Secret, and
 * the Gin-compatible routes are closed (they are open only under npm start).
 */
function checkHttpAuth(docs, values) {
  for (const app of ['api', 'alerting', 'advisor']) {
    const d = docs.find(
      (x) => x.source.endsWith(`/${app}.yaml`) && /^kind: Deployment$/m.test(x.text),
    );
    if (!d) continue;
    for (const key of ['AUTH_JWT_SECRET', 'ADMIN_API_KEY'])
      if (
        !new RegExp(`- name: ${key}\\n\\s+valueFrom:\\n\\s+secretKeyRef: \\{[^}]*key: ${key}`).test(
          d.text,
        )
      )
        fail(`${values}: ${app} does not take ${key} from a Secret`);
    if (!/- name: GIN_ROUTES_OPEN\n\s+value: "false"/.test(d.text))
      fail(`${values}: ${app} does not set GIN_ROUTES_OPEN=false`);
  }
}

/** The rendered PrometheusRule's spec is a rules file: promtool must accept all of it. */
function checkRenderedRule(text, values) {
  const spec = text.split('\n');
  const at = spec.indexOf('spec:');
  const dir = mkdtempSync(join(tmpdir(), 'iotmon-chart-'));
  try {
    const file = join(dir, 'rendered.rules.yml');
    writeFileSync(
      file,
      spec
        .slice(at + 1)
        .map((l) => l.slice(2))
        .join('\n') + '\n',
    );
    const rendered = promtoolCheck(file, `${values} PrometheusRule`);
    const tls = text.includes('name: iotmon-tls');
    const expected = ruleFiles()
      .filter((f) => tls || !f.endsWith('iotmon-tls.rules.yml'))
      .reduce((n, f) => n + promtoolCheck(f, f), 0);
    if (rendered !== expected)
      fail(`${values}: the PrometheusRule holds ${rendered} rules, the rule files ${expected}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = args.filter((a) => !['--chart', '--rules', '--broker'].includes(a));
if (unknown.length) {
  console.error(`unknown argument ${unknown[0]}\n${USAGE}`);
  process.exit(2);
}
if (!args.length || args.includes('--chart')) checkChart();
if (!args.length || args.includes('--rules')) checkRules();
if (!args.length || args.includes('--broker')) for (const f of await checkChartBroker()) fail(f);
if (failures.length) {
  console.error(failures.join('\n\n'));
  process.exit(1);
}
console.log('chart-check: ok');
