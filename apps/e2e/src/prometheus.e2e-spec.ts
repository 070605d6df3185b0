/**
 * The observability contract against a real Prometheus: Debian's `prometheus` scrapes a running
 * stack (api, alerting, an edge node on Debian's Mosquitto, postgres_exporter on the test
 * PostgreSQL) while it does real work (MQTT readings from the edge, REST readings that raise
 * and clear alarms, webhooks that succeed and that dead-letter, a live-feed client). Then every
 * expression of every committed dashboard and every alert rule's signal must return data, every
 * rule must evaluate cleanly, and `promtool check metrics` must be clean on each app's /metrics.
 * The panels' series over the run are written to test-artifacts/prometheus/ (the dashboard
 * screenshots in docs/ are drawn from them: `npx nx run loadgen:dashboards`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@iotmon/testing';
import {
  compileApps,
  mosquittoAvailable,
  root,
  start,
  startMosquitto,
  type Proc,
} from './processes';
import {
  alertSignal,
  chartDir,
  commandAvailable,
  legend,
  loadDashboards,
  PromClient,
  promtoolCheckMetrics,
  startPostgresExporter,
  startPrometheus,
  withRateInterval,
} from './prometheus';

const ADMIN = 'e2e-admin-key-0123456789';
/** How long the stack works under Prometheus before the queries. */
const SOAK_MS = 45_000;
const needed = ['prometheus', 'promtool', 'prometheus-postgres-exporter'];
const available = mosquittoAvailable() && needed.every(commandAvailable);
// CI installs them all; on a developer machine without them the suite says so and skips.
const suite = available || process.env['CI'] ? describe : describe.skip;
if (!available && !process.env['CI'])
  console.warn(
    `prometheus e2e skipped: needs mosquitto and ${needed.join(', ')} (apt-get install)`,
  );

function receiver(status: number): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits++;
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/hook`, hits: () => hits });
    }),
  );
}

suite('observability on a real Prometheus: dashboards and alert rules have data', () => {
  let apps: ReturnType<typeof compileApps>;
  let mosquitto: ReturnType<typeof startMosquitto>;
  let prometheus: ReturnType<typeof startPrometheus>;
  let db: TestDatabase;
  let prom: PromClient;
  let outboxDir: string;
  const procs: Proc[] = [];
  const ports = { api: 0, alerting: 0, edge: 0, exporter: 0, prometheus: 0 };
  const receivers: Awaited<ReturnType<typeof receiver>>[] = [];
  const live = new AbortController();
  let soakStart = 0;
  let soakEnd = 0;

  const output = () =>
    procs
      .map((p) => {
        const exit = p.child.exitCode ?? p.child.signalCode ?? 'running';
        return `--- ${p.name} (${exit}): ${p.child.spawnargs.join(' ')}\n${p.output().slice(-3000)}`;
      })
      .join('\n');
  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    apps = compileApps();
    outboxDir = mkdtempSync(join(tmpdir(), 'iotmon-prom-outbox-'));
    const mqttPort = await freePort();
    const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    mosquitto = startMosquitto(mqttPort);
    db = await createTestDatabase();
    for (const k of Object.keys(ports) as (keyof typeof ports)[]) ports[k] = await freePort();
    const common = { DATABASE_URL: db.url, MQTT_URL: mqttUrl, HOST: '127.0.0.1' };
    procs.push(
      start('api', process.execPath, [apps.app('api')], {
        ...common,
        PORT: String(ports.api),
        ADMIN_API_KEY: ADMIN,
      }),
      start('alerting', process.execPath, [apps.app('alerting')], {
        ...common,
        PORT: String(ports.alerting),
        ADMIN_API_KEY: ADMIN,
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
        WEBHOOK_MAX_ATTEMPTS: '2',
        WEBHOOK_BACKOFF_MS: '200',
        WEBHOOK_POLL_MS: '100',
        NOTIFY_WINDOW_MS: '0',
      }),
      start('edge', process.execPath, [apps.app('edge')], {
        MQTT_URL: mqttUrl,
        NODE_ID: 'prom-edge-1',
        SENSORS: 'temperature:200,humidity:200,light:200,air_quality:200',
        EDGE_HTTP_PORT: String(ports.edge),
        OUTBOX_DIR: join(outboxDir, 'prom-edge-1'),
      }),
      startPostgresExporter(ports.exporter, db.url),
    );
    for (const url of [
      `http://127.0.0.1:${ports.api}/health/ready`,
      `http://127.0.0.1:${ports.alerting}/health/ready`,
      `http://127.0.0.1:${ports.edge}/health`,
      `http://127.0.0.1:${ports.exporter}/metrics`,
    ])
      await waitFor(async () => (await fetch(url).catch(() => undefined))?.ok, {
        timeoutMs: 60_000,
        what: url,
      }).catch((e: Error) => {
        throw new Error(`${e.message}\n${output()}`);
      });

    prometheus = startPrometheus(
      ports.prometheus,
      [
        { job: 'iotmon-api', component: 'api', address: `127.0.0.1:${ports.api}` },
        { job: 'iotmon-alerting', component: 'alerting', address: `127.0.0.1:${ports.alerting}` },
        { job: 'iotmon-edge', component: 'edge', address: `127.0.0.1:${ports.edge}` },
        { job: 'postgres', component: 'postgres', address: `127.0.0.1:${ports.exporter}` },
      ],
      [join(chartDir, 'rules/iotmon.rules.yml')],
    );
    procs.push(prometheus);
    prom = new PromClient(`http://127.0.0.1:${ports.prometheus}`);
    await waitFor(() => prom.ready(), { timeoutMs: 30_000, what: 'prometheus ready' }).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${output()}`);
      },
    );

    // Webhooks: one target that answers 204, one that always fails (dead letters).
    receivers.push(await receiver(204), await receiver(500));
    for (const r of receivers) {
      const res = await post(`http://127.0.0.1:${ports.alerting}/webhooks`, { url: r.url });
      expect(res.status).toBe(201);
    }
    // A dashboard client on the live feed (alarm pushes).
    void fetch(`http://127.0.0.1:${ports.alerting}/live?readings=false`, {
      headers: { 'x-api-key': ADMIN },
      signal: live.signal,
    })
      .then(async (res) => {
        for await (const _ of res.body!);
      })
      .catch(() => undefined);

    // The work: REST readings that raise and clear the server rule temperature_alert (above
    // 30 °C) on two devices, a rejected reading now and then; the edge publishes over MQTT.
    soakStart = Date.now() / 1000;
    let hot = true;
    for (let i = 0; Date.now() / 1000 - soakStart < SOAK_MS / 1000; i++) {
      const ts = Date.now();
      const value = hot ? 36 : 20;
      hot = !hot;
      const res = await post(`http://127.0.0.1:${ports.api}/readings`, [
        { deviceId: 'prom-rest-1', sensor: 'temperature', value, ts },
        { deviceId: 'prom-rest-2', sensor: 'temperature', value, ts },
        { deviceId: 'prom-rest-1', sensor: 'humidity', value: 40 + (i % 10), ts },
      ]);
      expect(res.status).toBe(201);
      if (i % 5 === 0) {
        const bad = await post(`http://127.0.0.1:${ports.api}/readings`, [
          { deviceId: 'prom-rest-1', sensor: 'temperature', value: 'hot', ts },
        ]);
        expect(bad.status).toBe(400);
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
    soakEnd = Date.now() / 1000;
  }, 240_000);

  afterAll(async () => {
    live.abort();
    for (const r of receivers) r.server.close();
    await Promise.all(procs.map((p) => p.stop()));
    await mosquitto?.stop();
    mosquitto?.cleanup();
    prometheus?.cleanup();
    await db?.drop();
    apps?.cleanup();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  it('scrapes every target', async () => {
    const up = await prom.instant('up');
    expect(up.map((s) => [s.metric['component'], s.value?.[1]]).sort()).toEqual([
      ['alerting', '1'],
      ['api', '1'],
      ['edge', '1'],
      ['postgres', '1'],
    ]);
  });

  it('every dashboard expression returns data (and the series over the run are kept)', async () => {
    const missing: string[] = [];
    const artifacts = join(root, 'test-artifacts/prometheus');
    mkdirSync(artifacts, { recursive: true });
    const dashboards = loadDashboards();
    expect(dashboards.map((d) => d.uid).sort()).toEqual([
      'iotmon-alerting',
      'iotmon-edge',
      'iotmon-fleet',
      'iotmon-ingestion',
      'iotmon-postgresql',
    ]);
    for (const d of dashboards) {
      const panels = [];
      for (const p of d.panels) {
        const series = [];
        for (const t of p.targets) {
          const expr = withRateInterval(t.expr);
          const now = await prom.instant(expr);
          if (now.length === 0) missing.push(`${d.file} "${p.title}": ${t.expr}`);
          for (const s of await prom.range(expr, soakStart, soakEnd, 2))
            series.push({
              name: legend(t.legendFormat, s.metric),
              points: (s.values ?? [])
                .map(([x, y]) => [x - soakStart, Number(y)])
                .filter(([, y]) => Number.isFinite(y)),
            });
        }
        panels.push({ title: p.title, type: p.type, unit: p.unit, series });
      }
      writeFileSync(
        join(artifacts, `${d.uid}.json`),
        JSON.stringify({ uid: d.uid, title: d.title, seconds: soakEnd - soakStart, panels }),
      );
    }
    expect(missing).toEqual([]);
  });

  it('every alert rule evaluates cleanly and its signal returns data', async () => {
    const rules = await waitFor(
      async () => {
        const all = await prom.rules();
        return all.length > 0 && all.every((r) => r.health !== 'unknown') ? all : undefined;
      },
      { timeoutMs: 20_000, what: 'every rule evaluated once' },
    );
    expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
    const missing: string[] = [];
    for (const r of rules) {
      const signal = r.type === 'alerting' ? alertSignal(r.query) : r.query;
      if ((await prom.instant(signal)).length === 0) missing.push(`${r.name}: ${signal}`);
    }
    expect(missing).toEqual([]);
    expect(rules.length).toBeGreaterThanOrEqual(11);
  });

  it('promtool check metrics is clean on api, alerting and edge', async () => {
    for (const port of [ports.api, ports.alerting, ports.edge]) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect({ port, problems: promtoolCheckMetrics(text) }).toEqual({ port, problems: '' });
    }
  });

  it('the work moved the metrics: webhooks delivered and dead-lettered, alarms pushed', async () => {
    expect(receivers[0].hits()).toBeGreaterThan(0);
    expect(receivers[1].hits()).toBeGreaterThan(0);
    const value = async (q: string) => Number((await prom.instant(q))[0]?.value?.[1] ?? 0);
    expect(await value('sum(alerting_notifications_delivered_total)')).toBeGreaterThan(0);
    expect(await value('sum(alerting_notification_dead_letters_total)')).toBeGreaterThan(0);
    expect(await value('sum(alerting_alarm_to_push_seconds_count)')).toBeGreaterThan(0);
    expect(await value('sum(readings_ingested_total{source="mqtt"})')).toBeGreaterThan(0);
    expect(await value('sum(readings_rejected_total{source="rest"})')).toBeGreaterThan(0);
  });
});
