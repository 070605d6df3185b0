/**
 * Runs the node (or, in fleet mode, many nodes in one process): one MQTT connection and one
 * outbox per node, staleness ticks, and in fleet mode a publish-rate report every 10 s.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ConstraintEvent } from '@iotmon/domain';
import type { MqttConnection } from '@iotmon/server-kit';
import type { MqttClient } from 'mqtt';
import { join } from 'node:path';
import { EDGE_CONFIG, type EdgeConfig } from '../config/edge-config';
import { Decisions } from '../decisions/decisions';
import { EdgeNode } from '../node/edge-node';
import { connectNode } from '../node/node-client';
import { SourceFactory } from '../sensors/source-factory';

export interface RuntimeTotals {
  nodes: number;
  connected: number;
  publishedEvents: number;
  publishedRaw: number;
  replayedEvents: number;
  replayedReadings: number;
  backlogEvents: number;
  backlogReadings: number;
  backlogBytes: number;
  oldestAt: number | undefined;
  droppedEvents: number;
  droppedReadings: number;
  committed: number;
  resent: number;
  inFlight: number;
}

@Injectable()
export class EdgeRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('edge');
  readonly nodes: EdgeNode[] = [];
  private readonly clients: MqttClient[] = [];
  /** What the MqttTransport consumes on: each node's connection, `{nodeId}` filled in. */
  readonly connections: MqttConnection[] = [];
  private readonly byId = new Map<string, EdgeNode>();
  private tickTimer: NodeJS.Timeout | undefined;
  private rateTimer: NodeJS.Timeout | undefined;
  readonly startedAt = Date.now();

  constructor(@Inject(EDGE_CONFIG) private readonly config: EdgeConfig) {
    const sources = new SourceFactory();
    const fleet = config.fleet;
    const ids = fleet
      ? Array.from(
          { length: fleet.nodes },
          (_x, i) => `${fleet.prefix}${String(i + 1).padStart(4, '0')}`,
        )
      : [config.nodeId];
    // Fleet nodes share one evaluator (it keeps state per device) until a node gets its own
    // rule set on its config topic.
    const shared = fleet ? new Decisions((e) => this.route(e)) : undefined;
    const nodeLog = {
      log: (m: string) => this.log.log(m),
      warn: (m: string) => this.log.warn(m),
    };
    // The outbox limit is for the whole process: fleet nodes share it.
    const nodeConfig: EdgeConfig = fleet
      ? {
          ...config,
          outbox: {
            ...config.outbox,
            maxBytes: Math.max(16_384, Math.floor(config.outbox.maxBytes / fleet.nodes)),
          },
        }
      : config;
    for (const nodeId of ids) {
      // mqtt.js directly, not the transport's own client: every node needs its own connection
      // (its own client id, session and retained `offline` last will), also in fleet mode;
      // the transport then consumes on each of them (connections, `{nodeId}` per node).
      const client = connectNode(config.mqtt, nodeId, config.reconnect);
      this.clients.push(client);
      this.connections.push({ client, params: { nodeId } });
      const node = new EdgeNode({
        nodeId,
        client,
        config: nodeConfig,
        sources,
        shared,
        // One directory per node; fleet mode usually runs with OUTBOX_DIR=none.
        outboxDir: config.outbox.dir && fleet ? join(config.outbox.dir, nodeId) : config.outbox.dir,
        log: nodeLog,
      });
      this.nodes.push(node);
      this.byId.set(nodeId, node);
      client.on('connect', () => {
        if (!fleet) this.log.log(`node ${nodeId} online at ${config.mqtt.url}`);
      });
    }
  }

  /** The node with this id (a message on its topics), if this process runs it. */
  node(nodeId: string): EdgeNode | undefined {
    return this.byId.get(nodeId);
  }

  private route(event: ConstraintEvent): void {
    this.byId.get(event.deviceId)?.emit(event);
  }

  onApplicationBootstrap(): void {
    const n = this.nodes.length;
    // Spread fleet nodes over the shortest period so their samples do not fire in lockstep.
    const spread = n > 1 ? Math.min(...this.config.sensors.map((s) => s.intervalMs)) : 0;
    this.nodes.forEach((node, i) => node.start(n > 1 ? Math.floor((i * spread) / n) : 0));
    this.tickTimer = setInterval(() => this.tick(), this.config.tickMs);
    if (this.config.fleet) this.reportRates();
  }

  private tick(): void {
    const now = Date.now();
    for (const d of new Set(this.nodes.map((n) => n.decisions))) d.tick(now);
    for (const n of this.nodes) {
      n.flushBatches();
      n.delivery.tick();
    }
  }

  private reportRates(): void {
    let last = this.totals();
    let lastAt = Date.now();
    this.rateTimer = setInterval(() => {
      const t = this.totals();
      const now = Date.now();
      const sent = t.publishedEvents + t.publishedRaw - last.publishedEvents - last.publishedRaw;
      const rate = Math.round((sent * 1000) / (now - lastAt));
      this.log.log(
        `fleet: ${t.connected}/${t.nodes} nodes connected, publishing ${rate} msg/s, backlog ${t.backlogEvents + t.backlogReadings}`,
      );
      last = t;
      lastAt = now;
    }, 10_000);
    this.rateTimer.unref();
  }

  totals(): RuntimeTotals {
    const t: RuntimeTotals = {
      nodes: this.nodes.length,
      connected: 0,
      publishedEvents: 0,
      publishedRaw: 0,
      replayedEvents: 0,
      replayedReadings: 0,
      backlogEvents: 0,
      backlogReadings: 0,
      backlogBytes: 0,
      oldestAt: undefined,
      droppedEvents: 0,
      droppedReadings: 0,
      committed: 0,
      resent: 0,
      inFlight: 0,
    };
    for (const node of this.nodes) {
      const c = node.delivery.counters;
      const o = node.delivery.outbox.stats();
      if (node.connectedSince !== undefined) t.connected++;
      t.publishedEvents += c.publishedEvents;
      t.publishedRaw += c.publishedRaw;
      t.replayedEvents += c.replayedEvents;
      t.replayedReadings += c.replayedReadings;
      t.backlogEvents += o.events;
      t.backlogReadings += o.readings;
      t.backlogBytes += o.bytes;
      t.droppedEvents += o.dropped.events;
      t.droppedReadings += o.dropped.readings;
      t.committed += o.committed;
      t.resent += c.resent;
      t.inFlight += o.inFlight;
      if (o.oldestAt !== undefined && (t.oldestAt === undefined || o.oldestAt < t.oldestAt)) {
        t.oldestAt = o.oldestAt;
      }
    }
    return t;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.tickTimer);
    clearInterval(this.rateTimer);
    await Promise.all(this.nodes.map((n) => n.stop()));
    // Lets in-flight messages finish briefly, then closes regardless (the broker may be gone).
    await Promise.all(
      this.clients.map((c) =>
        Promise.race([c.endAsync(), new Promise((r) => setTimeout(r, 2_000).unref())]).then(() =>
          c.disconnected ? undefined : c.endAsync(true),
        ),
      ),
    );
  }
}
