import { resolveRunConfig } from '@iotmon/load-profiles';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsRecorder, type Sample } from './metrics';
import { runHttp } from './http-runner';

/** A stand-in api: records requests, answers by a per-test rule. */
function fakeApi(answer: (method: string, path: string) => number) {
  const seen: { method: string; path: string; key?: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        path: req.url!,
        key: req.headers['x-api-key'] as string | undefined,
        body,
      });
      res.statusCode = answer(req.method!, req.url!);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: 'dev-1' }));
    });
  });
  return {
    seen,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function collect(): { samples: Sample[]; sink: Pick<MetricsRecorder, 'declare' | 'add'> } {
  const samples: Sample[] = [];
  return { samples, sink: { declare: () => undefined, add: (s) => samples.push(s) } };
}

describe('runHttp', () => {
  it('runs the workload with the API key and writes a k6-shaped summary', async () => {
    const api = fakeApi((m) => (m === 'POST' ? 201 : 200));
    const baseUrl = await api.start();
    const { samples, sink } = collect();
    try {
      const config = resolveRunConfig({
        BASE_URL: baseUrl,
        API_KEY: 'k-123',
        WORKLOAD: 'readings-post',
        PROFILE: 'uniform-smoke',
        VUS: '3',
        DURATION: '1s',
        BATCH_SIZE: '5',
      });
      const result = await runHttp({ config, sink, progress: false });
      const posts = api.seen.filter((r) => r.path === '/readings');
      expect(posts.length).toBeGreaterThanOrEqual(3);
      expect(posts.every((r) => r.key === 'k-123' && JSON.parse(r.body).length === 5)).toBe(true);
      // Setup registered the device pool first.
      expect(api.seen[0]).toMatchObject({ method: 'POST', path: '/devices' });
      const { metrics, root_group, loadgen } = result.summary;
      expect(metrics['http_reqs']).toEqual({ count: posts.length, rate: expect.any(Number) });
      expect(metrics['http_req_failed']).toMatchObject({
        passes: 0,
        fails: posts.length,
        value: 0,
      });
      expect(Object.keys(metrics['http_req_duration'])).toEqual(
        expect.arrayContaining([
          'avg',
          'min',
          'med',
          'max',
          'p(90)',
          'p(95)',
          'p(99)',
          'thresholds',
        ]),
      );
      expect(root_group.checks['POST /readings: expected status']).toMatchObject({
        passes: posts.length,
        fails: 0,
      });
      expect(loadgen).toMatchObject({
        workload: 'readings-post',
        profile: 'uniform-3vu-1s',
        vus: 3,
      });
      expect(result.failedThresholds.filter((f) => !f.includes('http_req_duration'))).toEqual([]);
      const durations = samples.filter((s) => s.metric === 'http_req_duration');
      expect(durations).toHaveLength(posts.length);
      expect(durations[0].tags).toMatchObject({
        workload: 'readings-post',
        distribution: 'uniform',
        name: 'POST /readings',
        status: '201',
      });
    } finally {
      await api.stop();
    }
  });

  it('fails the error-rate threshold when the api answers 500', async () => {
    const api = fakeApi(() => 500);
    const baseUrl = await api.start();
    try {
      const config = resolveRunConfig({
        BASE_URL: baseUrl,
        WORKLOAD: 'iot-list',
        PROFILE: 'normal-smoke',
        VUS: '2',
        DURATION: '1s',
      });
      const result = await runHttp({ config, progress: false, log: () => undefined });
      expect(result.failedThresholds).toEqual(
        expect.arrayContaining(['http_req_failed: rate<0.01', 'checks: rate>0.99']),
      );
      // k6's export marks a failed threshold with true.
      expect(result.summary.metrics['http_req_failed']['thresholds']).toEqual({
        'rate<0.01': true,
      });
      expect(result.setupFailures.length).toBe(2);
    } finally {
      await api.stop();
    }
  });

  it('counts a refused connection as a failed request, not a crash', async () => {
    const api = fakeApi(() => 200);
    const baseUrl = await api.start();
    await api.stop();
    const config = resolveRunConfig({
      BASE_URL: baseUrl,
      WORKLOAD: 'iot-create',
      PROFILE: 'normal-smoke',
      VUS: '1',
      DURATION: '1s',
    });
    const result = await runHttp({ config, progress: false, log: () => undefined });
    expect(result.summary.metrics['http_req_failed']).toMatchObject({ value: 1 });
  });
});
