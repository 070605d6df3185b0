/**
 * The api's Prometheus metrics. prom-client keeps one global registry per process, so a
 * metric is reused when a second app (tests) registers it again.
 */
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, register } from 'prom-client';

function reuse<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

@Injectable()
export class ApiMetrics {
  readonly httpDuration = reuse(
    'http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration by method, route template and status',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      }),
  );
  readonly readingsIngested = reuse(
    'readings_ingested_total',
    () =>
      new Counter({
        name: 'readings_ingested_total',
        help: 'Readings committed to PostgreSQL by source (rest, mqtt)',
        labelNames: ['source'],
      }),
  );
  readonly batchRows = reuse(
    'readings_batch_rows',
    () =>
      new Histogram({
        name: 'readings_batch_rows',
        help: 'Rows per coalesced write to PostgreSQL',
        buckets: [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000, 25_000],
      }),
  );
  readonly commitSeconds = reuse(
    'readings_commit_seconds',
    () =>
      new Histogram({
        name: 'readings_commit_seconds',
        help: 'Duration of one coalesced write (COPY or INSERT) by method',
        labelNames: ['method'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      }),
  );
  readonly mqttConsumed = reuse(
    'mqtt_messages_consumed_total',
    () =>
      new Counter({
        name: 'mqtt_messages_consumed_total',
        help: 'MQTT messages consumed by topic kind (raw, status)',
        labelNames: ['kind'],
      }),
  );
  readonly mqttRejected = reuse(
    'mqtt_readings_rejected_total',
    () =>
      new Counter({
        name: 'mqtt_readings_rejected_total',
        help: 'Readings in MQTT messages rejected by validation',
      }),
  );
  readonly dbPool = reuse(
    'db_pool_connections',
    () =>
      new Gauge({
        name: 'db_pool_connections',
        help: 'PostgreSQL pool connections by state (total, idle, waiting)',
        labelNames: ['state'],
      }),
  );
}
