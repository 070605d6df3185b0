/**
 * The edge's Prometheus metrics, read from the runtime at scrape time (nothing on the hot
 * path). prom-client keeps one global registry per process.
 */
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, register } from 'prom-client';
import { EdgeRuntime, type RuntimeTotals } from '../runtime/edge-runtime.service';

type Read = (t: RuntimeTotals) => number;

@Injectable()
export class EdgeMetrics {
  private totals: RuntimeTotals | undefined;

  constructor(private readonly runtime: EdgeRuntime) {
    register.clear();
    collectDefaultMetrics();
    const snapshot = () => this.snapshot();
    const gauge = (name: string, help: string, read: Read) =>
      new Gauge({
        name,
        help,
        collect() {
          this.set(read(snapshot()));
        },
      });
    /** A counter mirrored from a monotonic runtime total. */
    const counter = (name: string, help: string, labels: Record<string, Read>) => {
      const last: Record<string, number> = {};
      return new Counter({
        name,
        help,
        labelNames: ['kind'],
        collect() {
          for (const [kind, read] of Object.entries(labels)) {
            const v = read(snapshot());
            const delta = v - (last[kind] ?? 0);
            last[kind] = v;
            if (delta > 0) this.inc({ kind }, delta);
          }
        },
      });
    };
    gauge('edge_nodes', 'Nodes run by this process (1, or the fleet size).', (t) => t.nodes);
    gauge('edge_nodes_connected', 'Nodes connected to the broker.', (t) => t.connected);
    counter(
      'edge_published_messages_total',
      'MQTT messages handed to the broker (a batch counts once).',
      {
        event: (t) => t.publishedEvents,
        raw: (t) => t.publishedRaw,
      },
    );
    counter('edge_replayed_total', 'Events and readings delivered late from the outbox.', {
      event: (t) => t.replayedEvents,
      reading: (t) => t.replayedReadings,
    });
    gauge(
      'edge_committed_total',
      'Items the server acknowledged as committed in PostgreSQL (commit acks) since start.',
      (t) => t.committed,
    );
    gauge(
      'edge_resent_total',
      'Items sent again because no commit ack came in time or the link dropped.',
      (t) => t.resent,
    );
    gauge('edge_outbox_in_flight', 'Items sent and awaiting their commit ack.', (t) => t.inFlight);
    counter(
      'edge_outbox_dropped_total',
      'Items dropped from the outbox by its size or age limit.',
      {
        event: (t) => t.droppedEvents,
        reading: (t) => t.droppedReadings,
      },
    );
    const depth = new Gauge({
      name: 'edge_outbox_depth',
      help: 'Items waiting in the outbox.',
      labelNames: ['kind'],
      collect() {
        const t = snapshot();
        this.set({ kind: 'event' }, t.backlogEvents);
        this.set({ kind: 'reading' }, t.backlogReadings);
      },
    });
    void depth;
    gauge('edge_outbox_bytes', 'Bytes held by the outbox.', (t) => t.backlogBytes);
    gauge('edge_outbox_oldest_age_seconds', 'Age of the oldest item waiting in the outbox.', (t) =>
      t.oldestAt === undefined ? 0 : (Date.now() - t.oldestAt) / 1000,
    );
    const sensorStats = () => this.runtime.nodes.flatMap((n) => n.sensorStats());
    const sensors = (
      name: string,
      help: string,
      read: (s: ReturnType<typeof sensorStats>[number]) => number,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['sensor'],
        collect() {
          const sums = new Map<string, number>();
          for (const s of sensorStats()) sums.set(s.kind, (sums.get(s.kind) ?? 0) + read(s));
          for (const [sensor, v] of sums) this.set({ sensor }, v);
        },
      });
    sensors('edge_sensor_samples', 'Samples taken, per sensor kind (all nodes).', (s) => s.samples);
    sensors(
      'edge_sensor_failures',
      'Source failures, per sensor kind (all nodes).',
      (s) => s.failures,
    );
    sensors('edge_sensor_failing', 'Nodes whose sensor is failing right now.', (s) =>
      s.failing > 0 ? 1 : 0,
    );
  }

  /** One runtime snapshot per scrape, shared by every metric. */
  private snapshot(): RuntimeTotals {
    if (!this.totals) {
      this.totals = this.runtime.totals();
      queueMicrotask(() => (this.totals = undefined));
    }
    return this.totals;
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: register.contentType, body: await register.metrics() };
  }
}
