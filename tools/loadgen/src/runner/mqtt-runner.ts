/**
 * MQTT load: `vus` simulated devices, each its own MQTT connection, publishing readings to
 * `env/{deviceId}/{sensor}/raw` and waiting a think time from the same seeded distributions
 * as the HTTP runs. With QoS 1 the publish latency is the time to the broker's PUBACK.
 */
import { topics, type SensorKind } from '@iotmon/domain';
import { createRng, createWait, readingBatch, type LoadProfile } from '@iotmon/load-profiles';
import { connectAsync, type MqttClient } from 'mqtt';
import { setTimeout as sleep } from 'node:timers/promises';
import { MetricsRecorder, percentile, type MetricSink } from './metrics';
import { ProgressLine } from './progress';
import { buildSummary, type SummaryResult } from './summary';

export interface MqttRunOptions {
  url: string;
  /** Broker login shared by all simulated devices (a service that may publish for any). */
  username?: string;
  password?: string;
  profile: LoadProfile;
  seed: string;
  qos: 0 | 1;
  /** Readings per message (1 sends one object, more send an array). */
  batch: number;
  /** Device ids are `${prefix}-NNNN`, so the run does not collide with real devices. */
  devicePrefix?: string;
  sink?: MetricSink;
  progress?: boolean;
}

export const MQTT_THRESHOLDS = {
  mqtt_pub_failed: ['rate<0.01'],
  mqtt_pub_duration: ['p(95)<250', 'p(99)<1000'],
} as const;

export async function runMqtt(opts: MqttRunOptions): Promise<SummaryResult> {
  const recorder = new MetricsRecorder();
  if (opts.sink) recorder.pipe(opts.sink);
  recorder.declare('mqtt_pubs', 'counter');
  recorder.declare('mqtt_readings', 'counter');
  recorder.declare('mqtt_pub_duration', 'trend', 'time');
  recorder.declare('mqtt_pub_failed', 'rate');
  recorder.declare('vus', 'gauge');
  const tags = {
    workload: 'mqtt-publish',
    profile: opts.profile.id,
    distribution: opts.profile.distribution,
    scenario: 'mqtt-publish',
  };
  const durationMs = opts.profile.durationS * 1000;
  let published = 0;
  let failed = 0;
  let connected = 0;
  let recent: number[] = [];

  const clients: MqttClient[] = [];
  const connectErrors: string[] = [];
  // Connect in slices so thousands of devices do not stampede the broker's accept queue.
  for (let i = 0; i < opts.profile.vus; i += 100) {
    const slice = Array.from({ length: Math.min(100, opts.profile.vus - i) }, (_, j) => i + j);
    const made = await Promise.all(
      slice.map((idx) =>
        connectAsync(opts.url, {
          username: opts.username,
          password: opts.password,
          clientId: `${opts.devicePrefix ?? 'loadgen'}-${idx}-${process.pid}`,
          reconnectPeriod: 0,
          connectTimeout: 10_000,
        }).catch((e: Error) => {
          connectErrors.push(e.message);
          return null;
        }),
      ),
    );
    for (const c of made) if (c) clients.push(c);
  }
  if (!clients.length)
    throw new Error(`no MQTT connection to ${opts.url}: ${connectErrors[0] ?? 'unknown error'}`);
  connected = clients.length;

  const start = Date.now();
  const end = start + durationMs;
  async function device(client: MqttClient, idx: number): Promise<void> {
    const id = `${opts.devicePrefix ?? 'loadgen'}-${String(idx).padStart(4, '0')}`;
    const rng = createRng(`${opts.seed}:${idx + 1}:payload`);
    const wait = createWait(opts.profile.wait, `${opts.seed}:${idx + 1}`);
    for (let seq = 0; Date.now() < end; seq += opts.batch) {
      const batch = readingBatch(rng, id, opts.batch, Date.now(), seq);
      // One topic per sensor: a batch is split by sensor, as the edge publishes it.
      const bySensor = new Map<string, { value: number; ts: number; seq: number }[]>();
      for (const r of batch) {
        const list = bySensor.get(r.sensor) ?? [];
        list.push({ value: r.value, ts: r.ts, seq: r.seq });
        bySensor.set(r.sensor, list);
      }
      for (const [sensor, items] of bySensor) {
        const payload = JSON.stringify(items.length === 1 ? items[0] : items);
        const t0 = performance.now();
        let ok = true;
        try {
          await client.publishAsync(topics.raw(id, sensor as SensorKind), payload, {
            qos: opts.qos,
          });
        } catch {
          ok = false;
        }
        const ms = performance.now() - t0;
        const time = Date.now();
        recorder.add({ metric: 'mqtt_pubs', time, value: 1, tags });
        recorder.add({ metric: 'mqtt_readings', time, value: items.length, tags });
        recorder.add({ metric: 'mqtt_pub_duration', time, value: ms, tags });
        recorder.add({ metric: 'mqtt_pub_failed', time, value: ok ? 0 : 1, tags });
        published++;
        if (!ok) failed++;
        recent.push(ms);
      }
      const pause = Math.min(wait(), end - Date.now());
      if (pause > 0) await sleep(pause);
    }
  }

  const progress =
    opts.progress === false ? null : new ProgressLine(`mqtt-publish ${opts.profile.id}`);
  const state = () => ({
    elapsedS: Math.min(durationMs, Date.now() - start) / 1000,
    totalS: opts.profile.durationS,
    requests: published,
    failed,
    activeVus: connected,
    recentP95Ms: percentile(Float64Array.from(recent).sort(), 95),
  });
  const ticker = setInterval(() => {
    recorder.add({ metric: 'vus', time: Date.now(), value: connected, tags });
    progress?.update(state());
    recent = [];
  }, 1000);
  try {
    await Promise.all(clients.map((c, i) => device(c, i)));
  } finally {
    clearInterval(ticker);
    await Promise.all(clients.map((c) => c.endAsync().catch(() => undefined)));
  }
  progress?.done(state());
  return buildSummary(recorder, new Map(), MQTT_THRESHOLDS, Date.now() - start, {
    runner: 'loadgen',
    workload: 'mqtt-publish',
    profile: opts.profile.id,
    distribution: opts.profile.distribution,
    vus: opts.profile.vus,
    durationS: opts.profile.durationS,
    seed: opts.seed,
    target: opts.url,
    startedAt: new Date(start).toISOString(),
  });
}
