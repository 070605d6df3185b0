/** The k6-compatible runner against a real local HTTP server. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { executionPlan, rampingTarget } from './execution-plan';
import { dialTarget } from './http-bridge';
import { runK6Script } from './k6-runner';

describe('executionPlan (k6 shortcut rules)', () => {
  it('iterations -> shared-iterations with duration as maxDuration', () => {
    expect(executionPlan({ vus: 10, iterations: 100, duration: '60s' })).toEqual({
      executor: 'shared-iterations',
      vus: 10,
      iterations: 100,
      maxDurationMs: 60_000,
    });
  });

  it('duration -> constant-vus; stages -> ramping-vus; nothing -> 1 x 1', () => {
    expect(executionPlan({ vus: 50, duration: '30s' })).toEqual({
      executor: 'constant-vus',
      vus: 50,
      durationMs: 30_000,
    });
    const ramp = executionPlan({ stages: [{ duration: '10s', target: 20 }] });
    expect(ramp).toMatchObject({ executor: 'ramping-vus', startVus: 1 });
    if (ramp.executor === 'ramping-vus') expect(rampingTarget(ramp, 5_000)).toBe(11);
    expect(executionPlan({})).toMatchObject({ vus: 1, iterations: 1 });
  });

  it('a CLI duration discards all of the script shortcuts, as k6 does', () => {
    expect(executionPlan({ vus: 10, iterations: 100 }, { duration: '2s', vus: 3 })).toEqual({
      executor: 'constant-vus',
      vus: 3,
      durationMs: 2_000,
    });
  });
});

describe('dialTarget', () => {
  it('maps hosts and refuses anything that is not loopback', () => {
    const hosts = { 'iot-api.local': '127.0.0.1:3000', '18.228.182.12:3000': '127.0.0.1:4000' };
    expect(dialTarget(new URL('http://iot-api.local/iot/'), hosts)).toBe('http://127.0.0.1:3000');
    expect(dialTarget(new URL('http://18.228.182.12:3000/iot/'), hosts)).toBe(
      'http://127.0.0.1:4000',
    );
    expect(() => dialTarget(new URL('http://18.228.182.12:3000/'), {})).toThrow(/loopback/);
    expect(() => dialTarget(new URL('http://example.com/'), {})).toThrow(/loopback/);
  });
});

describe('runK6Script', () => {
  let server: Server;
  const seen: { url: string; host: string; probe: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({
        url: req.url ?? '',
        host: req.headers.host ?? '',
        probe: String(req.headers['x-probe']),
      });
      if (req.url?.endsWith('/')) {
        res.writeHead(301, { location: req.url.slice(0, -1) }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('runs the script as k6: VUs, iterations, redirects, checks and thresholds', async () => {
    const port = (server.address() as AddressInfo).port;
    const result = await runK6Script({
      script: join(__dirname, 'fixtures/redirect-and-checks.js'),
      env: { PATH_PREFIX: 'iot' },
      hosts: { 'service.test': `127.0.0.1:${port}` },
      log: () => undefined,
    });
    expect(result.iterations).toBe(12);
    expect(result.checks.get('redirect followed to 200')).toEqual({ passes: 12, fails: 0 });
    expect(result.checks.get('body is the JSON of the final URL')).toEqual({
      passes: 12,
      fails: 0,
    });
    expect(result.checks.get('never true')).toEqual({ passes: 0, fails: 12 });
    // Two of three checks pass: rate 0.67 fails `rate>0.9`; the latency threshold holds.
    expect(result.failedThresholds).toEqual(['checks: rate>0.9']);
    expect(result.summary.metrics['http_reqs']['count']).toBe(24);
    expect(seen.filter((s) => s.url === '/iot/')).toHaveLength(12);
    expect(new Set(seen.map((s) => s.host))).toEqual(new Set(['service.test']));
    expect(new Set(seen.map((s) => s.probe))).toEqual(new Set(['1', '2', '3']));
  }, 60_000);
});
