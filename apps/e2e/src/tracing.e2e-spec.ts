/**
 * Traces over real OTLP/HTTP: the compiled api runs with OTEL_EXPORTER_OTLP_ENDPOINT pointing
 * at a local collector stand-in (a real HTTP server decoding the OTLP JSON the exporter sends),
 * and one REST write must produce, in one trace, the HTTP server span, the PostgreSQL statement
 * and the MQTT announcement on server/readings/stored. Without the variable nothing is exported.
 */
import { createServer, type Server } from 'node:http';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@iotmon/testing';
import { compileApps, mosquittoAvailable, start, startMosquitto, type Proc } from './processes';

const ADMIN = 'e2e-admin-key-0123456789';
const suite = mosquittoAvailable() || process.env['CI'] ? describe : describe.skip;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** SpanKind in OTLP: 2 server, 3 client, 4 producer. */
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

/** An OTLP/HTTP collector stand-in: POST /v1/traces, JSON-encoded ExportTraceServiceRequest. */
function collector(): Promise<{ server: Server; url: string; spans: OtlpSpan[]; posts: number }> {
  const state = { spans: [] as OtlpSpan[], posts: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return res.writeHead(404).end();
      if (!String(req.headers['content-type']).startsWith('application/json'))
        return res.writeHead(415).end();
      state.posts++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans)
        for (const ss of rs.scopeSpans) state.spans.push(...ss.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        server,
        url: `http://127.0.0.1:${port}`,
        get spans() {
          return state.spans;
        },
        get posts() {
          return state.posts;
        },
      });
    }),
  );
}

suite('OpenTelemetry traces over OTLP/HTTP', () => {
  let apps: ReturnType<typeof compileApps>;
  let mosquitto: ReturnType<typeof startMosquitto>;
  let db: TestDatabase;
  let otlp: Awaited<ReturnType<typeof collector>>;
  let api: Proc;
  let apiPort = 0;

  beforeAll(async () => {
    apps = compileApps();
    const mqttPort = await freePort();
    mosquitto = startMosquitto(mqttPort);
    db = await createTestDatabase();
    otlp = await collector();
    apiPort = await freePort();
    api = start('api', process.execPath, [apps.app('api')], {
      DATABASE_URL: db.url,
      MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: ADMIN,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    });
    await waitFor(
      async () =>
        (await fetch(`http://127.0.0.1:${apiPort}/health/ready`).catch(() => undefined))?.ok,
      { timeoutMs: 60_000, what: 'api ready' },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${api.output()}`);
    });
  });

  afterAll(async () => {
    await api?.stop();
    otlp?.server.close();
    await mosquitto?.stop();
    mosquitto?.cleanup();
    await db?.drop();
    apps?.cleanup();
  });

  it('a REST write produces one trace: HTTP, the PostgreSQL statement, the MQTT announce', async () => {
    const res = await fetch(`http://127.0.0.1:${apiPort}/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
      body: JSON.stringify([
        { deviceId: 'trace-1', sensor: 'temperature', value: 21.5, ts: Date.now() },
      ]),
    });
    expect(res.status).toBe(201);
    const trace = await waitFor(
      () => {
        const http = otlp.spans.find(
          (s) =>
            s.kind === SERVER &&
            String(attr(s, 'http.target') ?? attr(s, 'url.path')).startsWith('/readings'),
        );
        if (!http) return undefined;
        const same = otlp.spans.filter((s) => s.traceId === http.traceId);
        const pg = same.find((s) => s.kind === CLIENT && attr(s, 'db.system') === 'postgresql');
        const mqtt = same.find(
          (s) => s.kind === PRODUCER && s.name === 'publish server/readings/stored',
        );
        return pg && mqtt ? { http, pg, mqtt } : undefined;
      },
      { timeoutMs: 20_000, what: 'HTTP, PostgreSQL and MQTT spans of one trace' },
    ).catch((e: Error) => {
      const got = otlp.spans.map((s) => `${s.name}/${s.kind}/${s.traceId.slice(0, 6)}`);
      throw new Error(`${e.message}; ${otlp.posts} exports: ${got.join(', ')}\n${api.output()}`);
    });
    expect(attr(trace.http, 'http.method') ?? attr(trace.http, 'http.request.method')).toBe('POST');
    expect(attr(trace.mqtt, 'messaging.system')).toBe('mqtt');
    expect(String(attr(trace.pg, 'db.statement'))).toMatch(/^(COPY|INSERT)/);
    expect(otlp.spans.some((s) => String(attr(s, 'http.target') ?? '').startsWith('/health'))).toBe(
      false,
    );
  });
});
