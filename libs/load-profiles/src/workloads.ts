/**
 * What a virtual user does in one iteration, per scenario, as runtime-neutral request specs.
 * k6 (k6/http) and the Node runner (undici) both execute these, so the scenarios have one
 * source. A step may read what an earlier step captured (device CRUD needs the new id).
 */
import { LOAD_SENSORS } from './load-sensors';
import { withQuery } from './query';
import { createRng, pick, randomInt, type Rng } from './rng';
import {
  BULK_THRESHOLDS,
  READ_THRESHOLDS,
  WRITE_THRESHOLDS,
  type ThresholdSet,
} from './thresholds';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RequestSpec {
  /** The `name` tag: groups URLs with ids and queries into one series. */
  name: string;
  method: HttpMethod;
  /** Path and query, relative to the base URL. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Statuses that count as success (k6's expected_response). */
  expect: readonly number[];
  /** Needs the `x-api-key` header. */
  auth: boolean;
}

export interface WorkloadSettings {
  /** Size of the simulated device pool (`loadgen-0000` ...). */
  devices: number;
  /** Readings per `POST /readings`. */
  batchSize: number;
  /** `limit` of `GET /iot` and `GET /readings`. */
  pageSize: number;
  /** `n` of `GET /iot/create`. */
  createN: number;
}

/** `devices` defaults to the VU count (see run-config.ts): each VU then owns one device. */
export const DEFAULT_SETTINGS: WorkloadSettings = {
  devices: 100,
  batchSize: 100,
  pageSize: 500,
  createN: 500,
};

export interface StepContext {
  vu: number;
  iteration: number;
  rng: Rng;
  /** Epoch ms at the start of the iteration. */
  now: number;
  /** Values captured by earlier steps of this iteration. */
  vars: Record<string, string>;
  settings: WorkloadSettings;
}

export interface WorkloadStep {
  /** null skips the step (a value it needs was not captured). */
  build(ctx: StepContext): RequestSpec | null;
  capture?(body: unknown, ctx: StepContext): void;
}

export const WORKLOAD_IDS = [
  'readings-post',
  'readings-get',
  'readings-aggregate',
  'devices-crud',
  'iot-list',
  'iot-create',
] as const;

export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export interface Workload {
  id: WorkloadId;
  description: string;
  /** Requests run once before the load starts (k6 `setup()`); failures are reported, not fatal. */
  setup(settings: WorkloadSettings, now: number): RequestSpec[];
  steps: readonly WorkloadStep[];
  thresholds: ThresholdSet;
}

export function deviceId(index: number): string {
  return `loadgen-${String(index).padStart(4, '0')}`;
}

function deviceFor(ctx: StepContext): string {
  return deviceId((ctx.vu - 1 + ctx.settings.devices) % ctx.settings.devices);
}

const REGISTER_CHUNK = 500;

/** Bulk-registers the device pool, in chunks so a 5,000-VU pool stays under body limits. */
function registerDevices(settings: WorkloadSettings): RequestSpec[] {
  const devices = Array.from({ length: settings.devices }, (_, i) => ({
    id: deviceId(i),
    name: `load generator ${i}`,
    location: `loadgen/rack-${i % 10}`,
    sensors: LOAD_SENSORS.map((s) => s.kind),
  }));
  const out: RequestSpec[] = [];
  for (let i = 0; i < devices.length; i += REGISTER_CHUNK) {
    out.push({
      name: 'POST /devices (setup)',
      method: 'POST',
      path: '/devices',
      body: devices.slice(i, i + REGISTER_CHUNK),
      expect: [200, 201, 409],
      auth: true,
    });
  }
  return out;
}

/** `count` readings for one device, spread over the sensors, ending at `endTs`. */
export function readingBatch(
  rng: Rng,
  device: string,
  count: number,
  endTs: number,
  firstSeq: number,
): { deviceId: string; sensor: string; value: number; ts: number; seq: number }[] {
  return Array.from({ length: count }, (_, i) => {
    const sensor = LOAD_SENSORS[i % LOAD_SENSORS.length];
    const value = sensor.min + (sensor.max - sensor.min) * rng();
    return {
      deviceId: device,
      sensor: sensor.kind,
      value: Math.round(value * 100) / 100,
      // Distinct per (device, sensor) within and across batches of one VU.
      ts: endTs - (count - 1 - i),
      seq: firstSeq + i,
    };
  });
}

function seedReadings(settings: WorkloadSettings, now: number): RequestSpec[] {
  // One hour of history per device so reads and aggregates have rows to return.
  const rows = LOAD_SENSORS.length * 60;
  return [
    ...registerDevices(settings),
    ...Array.from({ length: settings.devices }, (_, i) => ({
      name: 'POST /readings (setup)',
      method: 'POST' as const,
      path: '/readings',
      body: readingBatch(createRng(`seed-${i}`), deviceId(i), rows, now, 0).map((r, j) => ({
        ...r,
        ts: now - 3_600_000 + Math.floor(j / LOAD_SENSORS.length) * 60_000,
      })),
      expect: [200, 201, 202],
      auth: true,
    })),
  ];
}

const readingsPost: Workload = {
  id: 'readings-post',
  description: 'POST /readings: one batch of readings per iteration (REST ingestion)',
  setup: (settings) => registerDevices(settings),
  steps: [
    {
      build: (ctx) => ({
        name: 'POST /readings',
        method: 'POST',
        path: '/readings',
        body: readingBatch(
          ctx.rng,
          deviceFor(ctx),
          ctx.settings.batchSize,
          ctx.now,
          ctx.iteration * ctx.settings.batchSize,
        ),
        expect: [200, 201, 202],
        auth: true,
      }),
    },
  ],
  thresholds: WRITE_THRESHOLDS,
};

const readingsGet: Workload = {
  id: 'readings-get',
  description: 'GET /readings: latest readings of one device',
  setup: seedReadings,
  steps: [
    {
      build: (ctx) => ({
        name: 'GET /readings',
        method: 'GET',
        path: withQuery('/readings', {
          deviceId: deviceFor(ctx),
          sensor: pick(ctx.rng, LOAD_SENSORS).kind,
          limit: Math.min(ctx.settings.pageSize, 1000),
        }),
        expect: [200],
        auth: false,
      }),
    },
  ],
  thresholds: READ_THRESHOLDS,
};

const AGGREGATES = [
  { bucket: '10s', span: 15 * 60_000 },
  { bucket: '1m', span: 3_600_000 },
  { bucket: '1h', span: 24 * 3_600_000 },
] as const;
const AGGREGATE_FNS = ['avg', 'min', 'max', 'count', 'last'] as const;

const readingsAggregate: Workload = {
  id: 'readings-aggregate',
  description: 'GET /readings/aggregate: chart buckets over a recent range',
  setup: seedReadings,
  steps: [
    {
      build: (ctx) => {
        const agg = pick(ctx.rng, AGGREGATES);
        return {
          name: 'GET /readings/aggregate',
          method: 'GET',
          path: withQuery('/readings/aggregate', {
            deviceId: deviceFor(ctx),
            sensor: pick(ctx.rng, LOAD_SENSORS).kind,
            bucket: agg.bucket,
            fn: pick(ctx.rng, AGGREGATE_FNS),
            from: new Date(ctx.now - agg.span).toISOString(),
            to: new Date(ctx.now).toISOString(),
          }),
          expect: [200],
          auth: false,
        };
      },
    },
  ],
  thresholds: READ_THRESHOLDS,
};

function idOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const nested = record['device'];
  const id =
    record['id'] ??
    (typeof nested === 'object' && nested ? (nested as { id?: unknown }).id : undefined);
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

const devicesCrud: Workload = {
  id: 'devices-crud',
  description: 'POST, GET, PATCH, DELETE /devices: one device lifecycle per iteration',
  setup: () => [],
  steps: [
    {
      build: (ctx) => ({
        name: 'POST /devices',
        method: 'POST',
        path: '/devices',
        body: {
          id: `crud-${ctx.vu}-${ctx.iteration}-${randomInt(ctx.rng, 1e9)}`,
          name: `crud device ${ctx.vu}/${ctx.iteration}`,
          location: `loadgen/crud-${ctx.vu % 10}`,
          sensors: ['temperature', 'humidity'],
          metadata: { loadgen: true },
        },
        expect: [200, 201],
        auth: true,
      }),
      capture: (body, ctx) => {
        const id = idOf(body);
        if (id !== undefined) ctx.vars['id'] = id;
      },
    },
    {
      build: (ctx) =>
        ctx.vars['id'] === undefined
          ? null
          : {
              name: 'GET /devices/:id',
              method: 'GET',
              path: `/devices/${encodeURIComponent(ctx.vars['id'])}`,
              expect: [200],
              auth: false,
            },
    },
    {
      build: (ctx) =>
        ctx.vars['id'] === undefined
          ? null
          : {
              name: 'PATCH /devices/:id',
              method: 'PATCH',
              path: `/devices/${encodeURIComponent(ctx.vars['id'])}`,
              body: { location: `loadgen/moved-${randomInt(ctx.rng, 100)}` },
              expect: [200],
              auth: true,
            },
    },
    {
      build: () => ({
        name: 'GET /devices',
        method: 'GET',
        path: withQuery('/devices', { limit: 50 }),
        expect: [200],
        auth: false,
      }),
    },
    {
      build: (ctx) =>
        ctx.vars['id'] === undefined
          ? null
          : {
              name: 'DELETE /devices/:id',
              method: 'DELETE',
              path: `/devices/${encodeURIComponent(ctx.vars['id'])}`,
              expect: [200, 204],
              auth: true,
            },
    },
  ],
  thresholds: WRITE_THRESHOLDS,
};

const iotList: Workload = {
  id: 'iot-list',
  description: 'GET /iot?limit=&offset= (Gin-compatible read)',
  setup: (settings) => [
    {
      name: 'GET /iot/create_table (setup)',
      method: 'GET',
      path: '/iot/create_table',
      expect: [200],
      auth: false,
    },
    {
      name: 'GET /iot/create (setup)',
      method: 'GET',
      path: withQuery('/iot/create', { n: settings.pageSize }),
      expect: [201],
      auth: false,
    },
  ],
  steps: [
    {
      build: (ctx) => ({
        name: 'GET /iot',
        method: 'GET',
        path: withQuery('/iot', { limit: ctx.settings.pageSize, offset: 0 }),
        expect: [200],
        auth: false,
      }),
    },
  ],
  thresholds: READ_THRESHOLDS,
};

const iotCreate: Workload = {
  id: 'iot-create',
  description: 'GET /iot/create?n=500 (Gin-compatible bulk insert)',
  setup: () => [
    {
      name: 'GET /iot/create_table (setup)',
      method: 'GET',
      path: '/iot/create_table',
      expect: [200],
      auth: false,
    },
  ],
  steps: [
    {
      build: (ctx) => ({
        name: 'GET /iot/create',
        method: 'GET',
        path: withQuery('/iot/create', { n: ctx.settings.createN }),
        expect: [201],
        auth: false,
      }),
    },
  ],
  thresholds: BULK_THRESHOLDS,
};

export const WORKLOADS: Readonly<Record<WorkloadId, Workload>> = {
  'readings-post': readingsPost,
  'readings-get': readingsGet,
  'readings-aggregate': readingsAggregate,
  'devices-crud': devicesCrud,
  'iot-list': iotList,
  'iot-create': iotCreate,
};

export function findWorkload(id: string): Workload {
  if (!(WORKLOAD_IDS as readonly string[]).includes(id)) {
    throw new Error(`unknown workload "${id}"; known: ${WORKLOAD_IDS.join(', ')}`);
  }
  return WORKLOADS[id as WorkloadId];
}
