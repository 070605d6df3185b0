/** The api's own Prometheus metrics (server-kit style: declared as providers, injected). */
import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@iotmon/server-kit';
import type { Counter, Gauge, Histogram } from 'prom-client';

/** Seconds, from a few milliseconds (a live reading) to an hour (a fleet's replayed backlog). */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

export const apiMetricProviders = [
  makeCounterProvider({
    name: 'readings_ingested_total',
    help: 'Readings committed to PostgreSQL (accepted), by source (rest, mqtt)',
    labelNames: ['source'],
  }),
  makeCounterProvider({
    name: 'readings_rejected_total',
    help: 'Readings refused by validation, by source (rest, mqtt)',
    labelNames: ['source'],
  }),
  makeCounterProvider({
    name: 'readings_write_failures_total',
    help: 'Readings whose write to PostgreSQL failed, by source (rest, mqtt)',
    labelNames: ['source'],
  }),
  makeHistogramProvider({
    name: 'readings_ingest_lag_seconds',
    help: 'Commit time minus reading time of the oldest reading of each write (request or MQTT message), by source (replays included)',
    labelNames: ['source'],
    buckets: LAG_BUCKETS,
  }),
  makeHistogramProvider({
    name: 'readings_edge_to_commit_seconds',
    help: 'From the edge stamping and publishing a live reading (not a replay) to its commit, the oldest of each MQTT message',
    buckets: LAG_BUCKETS,
  }),
  makeHistogramProvider({
    name: 'readings_batch_rows',
    help: 'Rows per coalesced write to PostgreSQL',
    buckets: [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000, 25_000],
  }),
  makeHistogramProvider({
    name: 'readings_commit_seconds',
    help: 'Duration of one coalesced write (COPY or INSERT) by method',
    labelNames: ['method'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  }),
  makeGaugeProvider({
    name: 'ingest_queue_readings',
    help: 'Readings waiting in the writer queue (not yet in a write)',
  }),
  makeGaugeProvider({
    name: 'ingest_queue_bytes',
    help: 'Bytes of COPY rows the writer holds (queued or being written)',
  }),
  makeGaugeProvider({
    name: 'ingest_queue_oldest_age_seconds',
    help: 'How long the oldest reading in the writer queue has waited (0 when empty)',
  }),
  makeCounterProvider({
    name: 'mqtt_messages_consumed_total',
    help: 'MQTT messages consumed by topic kind (raw, status)',
    labelNames: ['kind'],
  }),
  makeGaugeProvider({
    name: 'devices_presence',
    help: 'Registered devices by last reported presence (online, offline, unknown)',
    labelNames: ['status'],
  }),
  makeGaugeProvider({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting)',
    labelNames: ['state'],
  }),
];

@Injectable()
export class ApiMetrics {
  constructor(
    @InjectMetric('readings_ingested_total') readonly readingsIngested: Counter,
    @InjectMetric('readings_rejected_total') readonly readingsRejected: Counter,
    @InjectMetric('readings_write_failures_total') readonly writeFailures: Counter,
    @InjectMetric('readings_ingest_lag_seconds') readonly ingestLag: Histogram,
    @InjectMetric('readings_edge_to_commit_seconds') readonly edgeToCommit: Histogram,
    @InjectMetric('readings_batch_rows') readonly batchRows: Histogram,
    @InjectMetric('readings_commit_seconds') readonly commitSeconds: Histogram,
    @InjectMetric('ingest_queue_readings') readonly queueReadings: Gauge,
    @InjectMetric('ingest_queue_bytes') readonly queueBytes: Gauge,
    @InjectMetric('ingest_queue_oldest_age_seconds') readonly queueOldestAge: Gauge,
    @InjectMetric('mqtt_messages_consumed_total') readonly mqttConsumed: Counter,
    @InjectMetric('devices_presence') readonly devicesPresence: Gauge,
    @InjectMetric('db_pool_connections') readonly dbPool: Gauge,
  ) {
    // Every series exists from the start, so rate() and the alert rules have data at zero.
    for (const source of ['rest', 'mqtt']) {
      readingsIngested.inc({ source }, 0);
      readingsRejected.inc({ source }, 0);
      writeFailures.inc({ source }, 0);
    }
  }
}
