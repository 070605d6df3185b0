/** The api's own Prometheus metrics (server-kit style: declared as providers, injected). */
import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@iotmon/server-kit';
import type { Counter, Gauge, Histogram } from 'prom-client';

export const apiMetricProviders = [
  makeCounterProvider({
    name: 'readings_ingested_total',
    help: 'Readings committed to PostgreSQL by source (rest, mqtt)',
    labelNames: ['source'],
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
  makeCounterProvider({
    name: 'mqtt_messages_consumed_total',
    help: 'MQTT messages consumed by topic kind (raw, status)',
    labelNames: ['kind'],
  }),
  makeCounterProvider({
    name: 'mqtt_readings_rejected_total',
    help: 'Readings in MQTT messages rejected by validation',
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
    @InjectMetric('readings_batch_rows') readonly batchRows: Histogram,
    @InjectMetric('readings_commit_seconds') readonly commitSeconds: Histogram,
    @InjectMetric('mqtt_messages_consumed_total') readonly mqttConsumed: Counter,
    @InjectMetric('mqtt_readings_rejected_total') readonly mqttRejected: Counter,
    @InjectMetric('db_pool_connections') readonly dbPool: Gauge,
  ) {}
}
