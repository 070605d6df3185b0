/**
 * The edge's Prometheus metrics (server-kit style: declared as providers), read from the
 * runtime when /metrics is scraped (nothing on the hot path).
 */
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  makeCounterProvider,
  makeGaugeProvider,
  metricToken,
  sampleOnScrape,
} from '@iotmon/server-kit';
import type { Counter, Gauge } from 'prom-client';
import { EdgeRuntime, type RuntimeTotals } from '../runtime/edge-runtime.service';

type Read = (t: RuntimeTotals) => number;
type SensorStat = ReturnType<EdgeRuntime['nodes'][number]['sensorStats']>[number];

/** Gauges of one runtime total. */
const GAUGES: Record<string, [help: string, read: Read]> = {
  edge_nodes: ['Nodes run by this process (1, or the fleet size).', (t) => t.nodes],
  edge_nodes_connected: ['Nodes connected to the broker.', (t) => t.connected],
  edge_outbox_bytes: ['Bytes held by the outbox.', (t) => t.backlogBytes],
  edge_outbox_in_flight: ['Items sent and awaiting their commit ack.', (t) => t.inFlight],
  edge_outbox_oldest_age_seconds: [
    'Age of the oldest item waiting in the outbox.',
    (t) => (t.oldestAt === undefined ? 0 : (Date.now() - t.oldestAt) / 1000),
  ],
};
/** Counters mirrored from monotonic runtime totals (the commit-ack protocol's). */
const TOTALS: Record<string, [help: string, read: Read]> = {
  edge_committed_total: [
    'Items the server acknowledged as committed in PostgreSQL (commit acks) since start.',
    (t) => t.committed,
  ],
  edge_resent_total: [
    'Items sent again because no commit ack came in time or the link dropped.',
    (t) => t.resent,
  ],
};
/** Gauges labelled by kind. */
const KIND_GAUGES: Record<string, [help: string, kinds: Record<string, Read>]> = {
  edge_outbox_depth: [
    'Items waiting in the outbox.',
    { event: (t) => t.backlogEvents, reading: (t) => t.backlogReadings },
  ],
};
/** Counters mirrored from monotonic runtime totals, labelled by kind. */
const COUNTERS: Record<string, [help: string, kinds: Record<string, Read>]> = {
  edge_published_messages_total: [
    'MQTT messages handed to the broker (a batch counts once).',
    { event: (t) => t.publishedEvents, raw: (t) => t.publishedRaw },
  ],
  edge_replayed_total: [
    'Events and readings delivered late from the outbox.',
    { event: (t) => t.replayedEvents, reading: (t) => t.replayedReadings },
  ],
  edge_outbox_dropped_total: [
    'Items dropped from the outbox by its size or age limit.',
    { event: (t) => t.droppedEvents, reading: (t) => t.droppedReadings },
  ],
};
type SensorRead = [help: string, read: (s: SensorStat) => number];
/** Gauges summed per sensor kind over all nodes. */
const SENSOR_GAUGES: Record<string, SensorRead> = {
  edge_sensor_failing: ['Nodes whose sensor is failing right now.', (s) => (s.failing > 0 ? 1 : 0)],
};
/** Counters mirrored from monotonic per-sensor totals, summed per sensor kind. */
const SENSOR_COUNTERS: Record<string, SensorRead> = {
  edge_sensor_samples_total: ['Samples taken, per sensor kind (all nodes).', (s) => s.samples],
  edge_sensor_failures_total: ['Source failures, per sensor kind (all nodes).', (s) => s.failures],
};

const entries = <T>(r: Record<string, T>) => Object.entries(r);

export const edgeMetricProviders = [
  ...entries(GAUGES).map(([name, [help]]) => makeGaugeProvider({ name, help })),
  ...entries(KIND_GAUGES).map(([name, [help]]) =>
    makeGaugeProvider({ name, help, labelNames: ['kind'] }),
  ),
  ...entries(COUNTERS).map(([name, [help]]) =>
    makeCounterProvider({ name, help, labelNames: ['kind'] }),
  ),
  ...entries(TOTALS).map(([name, [help]]) => makeCounterProvider({ name, help })),
  ...entries(SENSOR_GAUGES).map(([name, [help]]) =>
    makeGaugeProvider({ name, help, labelNames: ['sensor'] }),
  ),
  ...entries(SENSOR_COUNTERS).map(([name, [help]]) =>
    makeCounterProvider({ name, help, labelNames: ['sensor'] }),
  ),
];

/** Adds to `counter` what `total` grew by since the last scrape (the series exists at 0). */
function mirror(
  counter: Counter,
  labels: Record<string, string>,
  total: number,
  last: Map<string, number>,
) {
  const key = Object.values(labels).join('/');
  counter.inc(labels, Math.max(0, total - (last.get(key) ?? 0)));
  last.set(key, total);
}

@Injectable()
export class EdgeMetrics {
  private totals: RuntimeTotals | undefined;

  constructor(
    private readonly runtime: EdgeRuntime,
    refs: ModuleRef,
  ) {
    const gauge = (name: string) => refs.get<Gauge>(metricToken(name), { strict: false });
    const counter = (name: string) => refs.get<Counter>(metricToken(name), { strict: false });
    const snapshot = () => this.snapshot();
    for (const [name, [, read]] of entries(GAUGES)) {
      sampleOnScrape(gauge(name), (g) => g.set(read(snapshot())));
    }
    for (const [name, [, kinds]] of entries(KIND_GAUGES)) {
      sampleOnScrape(gauge(name), (g) => {
        for (const [kind, read] of entries(kinds)) g.set({ kind }, read(snapshot()));
      });
    }
    for (const [name, [, kinds]] of entries(COUNTERS)) {
      const last = new Map<string, number>();
      sampleOnScrape(counter(name), (c) => {
        for (const [kind, read] of entries(kinds)) mirror(c, { kind }, read(snapshot()), last);
      });
    }
    for (const [name, [, read]] of entries(TOTALS)) {
      const last = new Map<string, number>();
      sampleOnScrape(counter(name), (c) => mirror(c, {}, read(snapshot()), last));
    }
    const sensorStats = () => this.runtime.nodes.flatMap((n) => n.sensorStats());
    const perSensor = (read: SensorRead[1]) => {
      const sums = new Map<string, number>();
      for (const s of sensorStats()) sums.set(s.kind, (sums.get(s.kind) ?? 0) + read(s));
      return sums;
    };
    for (const [name, [, read]] of entries(SENSOR_COUNTERS)) {
      const last = new Map<string, number>();
      sampleOnScrape(counter(name), (c) => {
        for (const [sensor, v] of perSensor(read)) mirror(c, { sensor }, v, last);
      });
    }
    for (const [name, [, read]] of entries(SENSOR_GAUGES)) {
      sampleOnScrape(gauge(name), (g) => {
        for (const [sensor, v] of perSensor(read)) g.set({ sensor }, v);
      });
    }
  }

  /** One runtime snapshot per scrape, shared by every metric. */
  private snapshot(): RuntimeTotals {
    if (!this.totals) {
      this.totals = this.runtime.totals();
      queueMicrotask(() => (this.totals = undefined));
    }
    return this.totals;
  }
}
