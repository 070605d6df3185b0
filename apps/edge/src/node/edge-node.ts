/**
 * One edge node: its sensor loops, local decisions, delivery through the outbox (trimmed by
 * the server's commit acks on its ack topic), presence (retained `online` on connect,
 * heartbeat, `offline` as last will) and rule sync from its retained config topic (both
 * delivered by the server-kit MqttTransport to node-inbox.controller.ts). Sequence
 * numbers and open alarms survive a restart (node state beside the outbox). Fleet mode runs
 * many of these in one process. A configured sensor whose kind the node's catalogue (the
 * built-in one, then the one sent with its config) lacks waits, and starts sampling when a
 * config brings the kind; a kind gone from the catalogue stops.
 */
import {
  BUILT_IN_CATALOGUE,
  decodeAck,
  encodePresence,
  topics,
  type ConstraintEvent,
  type Reading,
  type SensorCatalogue,
  type SensorKind,
} from '@iotmon/domain';
import type { MqttClient } from 'mqtt';
import type { EdgeConfig, SensorConfig } from '../config/edge-config';
import { Decisions } from '../decisions/decisions';
import { Delivery } from '../delivery/delivery';
import { Outbox } from '../outbox/outbox';
import { SensorLoop, type SensorLoopStats } from '../sensors/sensor-loop';
import type { SourceFactory } from '../sensors/source-factory';

export interface NodeLog {
  log(message: string): void;
  warn(message: string): void;
}

export interface EdgeNodeOptions {
  nodeId: string;
  client: MqttClient;
  config: EdgeConfig;
  sources: SourceFactory;
  /** A rule set shared by many nodes (fleet); the node gets its own once its config arrives. */
  shared?: Decisions;
  outboxDir: string | undefined;
  log: NodeLog;
}

export class EdgeNode {
  readonly nodeId: string;
  /** The running sensor loops (configured sensors whose kind the catalogue has). */
  readonly loops: SensorLoop[] = [];
  private started = false;
  private startOffsetMs = 0;
  readonly delivery: Delivery;
  decisions: Decisions;
  private readonly client: MqttClient;
  private readonly seq = new Map<SensorKind, number>();
  private readonly batches = new Map<SensorKind, Reading[]>();
  private heartbeat: NodeJS.Timeout | undefined;
  private lastConfig: string | undefined;
  private readonly configTopic: string;
  private readonly statusTopic: string;
  private eventSeq: number;
  /** Alarms open at this node, by device/sensor/rule: persisted on every change. */
  private readonly open = new Map<string, ConstraintEvent>();
  /**
   * Alarms open when the node last stopped and not raised again since: the first reading of
   * their sensor that does not raise them clears them (the condition may have cleared while
   * the node was down; the evaluator starts without that state).
   */
  private readonly restored = new Map<string, ConstraintEvent>();
  connectedSince: number | undefined;

  constructor(private readonly o: EdgeNodeOptions) {
    this.nodeId = o.nodeId;
    this.client = o.client;
    this.configTopic = topics.config(o.nodeId);
    this.statusTopic = topics.status(o.nodeId);
    const outbox = new Outbox(
      { maxBytes: o.config.outbox.maxBytes, maxAgeMs: o.config.outbox.maxAgeMs },
      o.outboxDir,
      Date.now,
      { flushMs: o.config.outbox.flushMs, onDurable: () => this.delivery.pump() },
    );
    if (outbox.size > 0) o.log.log(`${o.nodeId}: ${outbox.size} messages waiting in the outbox`);
    this.delivery = new Delivery(o.client, outbox, {
      rawQos: o.config.rawQos,
      batch: o.config.rawBatch,
      ackTimeoutMs: o.config.ackTimeoutMs,
    });
    for (const s of o.config.sensors) this.seq.set(s.kind, outbox.lastSeq(s.kind));
    this.eventSeq = outbox.lastSeq('event');
    for (const e of outbox.openAlarms) {
      this.open.set(alarmKey(e), e);
      this.restored.set(alarmKey(e), e);
    }
    this.decisions = o.shared ?? new Decisions((e) => this.emit(e));
    this.followKinds(this.decisions.kinds ?? BUILT_IN_CATALOGUE);
  }

  /** Starts loops of configured sensors the catalogue now has, stops those it lost. */
  private followKinds(kinds: SensorCatalogue): void {
    for (const s of this.o.config.sensors) {
      const at = this.loops.findIndex((l) => l.kind === s.kind);
      const spec = kinds.get(s.kind);
      if (spec && at < 0) {
        const loop = this.loopFor(s, spec);
        this.loops.push(loop);
        if (this.started) loop.start(this.startOffsetMs);
      } else if (!spec && at >= 0) {
        this.loops[at].stop();
        this.loops.splice(at, 1);
        this.o.log.warn(
          `${this.nodeId}: sensor ${s.kind} stopped: not in the sensor-kinds catalogue`,
        );
      } else if (!spec && !this.started) {
        this.o.log.log(`${this.nodeId}: sensor ${s.kind} waits for its kind in the catalogue`);
      }
    }
  }

  private loopFor(
    s: SensorConfig,
    spec: NonNullable<ReturnType<SensorCatalogue['get']>>,
  ): SensorLoop {
    return new SensorLoop(
      s.kind,
      s.intervalMs,
      this.o.sources.create(s, spec),
      (kind, value, ts) => this.onSample(kind, value, ts),
      (stats, recovered) => this.onSensorFault(stats, recovered),
      Date.now,
      this.o.config.sampleCatchUpMs,
    );
  }

  start(offsetMs = 0): void {
    this.client.on('connect', () => this.onConnect());
    this.client.on('close', () => {
      this.connectedSince = undefined;
      clearInterval(this.heartbeat);
    });
    if (this.client.connected) this.onConnect();
    this.started = true;
    this.startOffsetMs = offsetMs;
    for (const loop of this.loops) loop.start(offsetMs);
  }

  private onConnect(): void {
    this.connectedSince = Date.now();
    this.publishPresence();
    clearInterval(this.heartbeat);
    if (this.o.config.heartbeatMs > 0) {
      this.heartbeat = setInterval(() => this.publishPresence(), this.o.config.heartbeatMs);
    }
    this.delivery.onConnect();
  }

  /** A transition of this node: numbered, its alarm state recorded, into the outbox. */
  emit(event: ConstraintEvent): void {
    const key = alarmKey(event);
    this.restored.delete(key);
    if (event.state === 'raised') this.open.set(key, event);
    else this.open.delete(key);
    this.delivery.outbox.setOpenAlarms([...this.open.values()]);
    this.delivery.sendEvent({ ...event, seq: ++this.eventSeq });
  }

  /** Clears restored alarms of this sensor that the current evaluation did not raise. */
  private clearRestored(reading: Reading): void {
    for (const [key, e] of this.restored) {
      if (e.sensor !== reading.sensor || e.deviceId !== reading.deviceId) continue;
      this.emit({
        ...e,
        state: 'cleared',
        value: reading.value,
        ts: Math.max(reading.ts, e.ts + 1),
        message: `${e.message} (cleared: not active after the node restarted)`,
      });
      this.restored.delete(key);
    }
  }

  /** Retained `online` with the time: refreshed by the heartbeat, so stale is visible. */
  private publishPresence(): void {
    if (!this.client.connected) return;
    const payload = encodePresence({ status: 'online', ts: Date.now() });
    this.client.publish(this.statusTopic, payload, { qos: 1, retain: true });
  }

  onSample(sensor: SensorKind, value: number, ts: number): void {
    const until = this.o.config.sampleUntil;
    if (until !== undefined && ts >= until) return;
    const seq = (this.seq.get(sensor) ?? 0) + 1;
    this.seq.set(sensor, seq);
    const reading: Reading = { deviceId: this.nodeId, sensor, value, ts, seq };
    this.decisions.decide(reading);
    if (this.restored.size > 0) this.clearRestored(reading);
    const size = this.o.config.rawBatch;
    if (size <= 1) return this.delivery.sendReadings([reading]);
    let batch = this.batches.get(sensor);
    if (!batch) this.batches.set(sensor, (batch = []));
    batch.push(reading);
    if (batch.length >= size) {
      this.batches.set(sensor, []);
      this.delivery.sendReadings(batch);
    }
  }

  /** Hands partial batches to delivery (each tick, so a slow sensor's batch does not wait). */
  flushBatches(): void {
    for (const [sensor, batch] of this.batches) {
      if (batch.length === 0) continue;
      this.batches.set(sensor, []);
      this.delivery.sendReadings(batch);
    }
  }

  private onSensorFault(stats: SensorLoopStats, recovered: boolean): void {
    if (recovered) this.o.log.log(`${this.nodeId}: sensor ${stats.kind} recovered`);
    else this.o.log.warn(`${this.nodeId}: sensor ${stats.kind} failing: ${stats.lastError}`);
  }

  /** A commit ack from api or alerting on this node's ack topic: trims the outbox. */
  onAck(payload: Buffer): void {
    const ack = decodeAck(payload);
    if (ack) this.delivery.onAck(ack);
  }

  /** The retained rule set on this node's config topic. */
  onConfig(payload: Buffer): void {
    const text = payload.toString('utf8');
    // The retained config comes again after every reconnect: only a change is applied.
    if (text === this.lastConfig) return;
    if (this.decisions === this.o.shared) {
      this.decisions = new Decisions((e) => this.emit(e));
    }
    const result = this.decisions.applyPayload(text);
    if (result.ok) {
      this.lastConfig = text;
      this.o.log.log(
        `${this.nodeId}: rule set "${result.name}" applied (${result.kept} kept, ${result.fresh} new, ${result.cleared} cleared; ${result.kinds.ids.length} sensor kinds)`,
      );
      this.followKinds(result.kinds);
    } else {
      this.o.log.warn(`${this.nodeId}: rejected rule set on ${this.configTopic}: ${result.error}`);
    }
  }

  sensorStats(): SensorLoopStats[] {
    return this.loops.map((l) => l.stats);
  }

  /** Stops sampling, hands pending batches to the outbox and announces `offline` (bounded). */
  async stop(timeoutMs = 1_000): Promise<void> {
    for (const loop of this.loops) loop.stop();
    clearInterval(this.heartbeat);
    for (const batch of this.batches.values()) this.delivery.sendReadings(batch);
    this.batches.clear();
    await this.delivery.outbox.close();
    if (!this.client.connected) return;
    const offline = this.client.publishAsync(
      this.statusTopic,
      encodePresence({ status: 'offline', ts: Date.now() }),
      { qos: 1, retain: true },
    );
    await Promise.race([
      offline.catch(() => undefined),
      new Promise((r) => setTimeout(r, timeoutMs).unref()),
    ]);
  }
}

function alarmKey(e: ConstraintEvent): string {
  return `${e.deviceId}/${e.sensor}/${e.ruleId}`;
}
