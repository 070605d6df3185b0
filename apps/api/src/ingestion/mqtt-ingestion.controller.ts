/**
 * Consumes raw readings from the broker (a shared subscription when a group is configured)
 * and writes them through the same batched writer as REST, and the retained presence topic
 * (a plain subscription: brokers do not deliver retained messages to shared ones).
 * A raw message's handler resolves once its readings are committed: only then does the
 * transport PUBACK it (ackAfterHandler, app.factory.ts) and the device get its commit ack
 * (env/{id}/ack) for those sequence numbers, so a crash between receipt and commit costs a
 * redelivery from the broker's persistent session (and the edge's re-send), not data. While
 * the writer's queue is full the handler waits for room, which stops the transport reading.
 */
import { Controller, Logger } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { decodePresence, decodeReadings, topicFilters } from '@iotmon/domain';
import { CommitAckPublisher } from '@iotmon/messaging';
import { LiveSensorCatalogue } from '@iotmon/persistence';
import { MqttConsumerMetrics, type MqttMessage } from '@iotmon/server-kit';
import { DevicesService } from '../devices/devices.service';
import { ApiMetrics } from '../metrics/api-metrics';
import { ReadingsWriter } from '../readings/readings-writer';

/** @EventPattern handlers on the server-kit MqttTransport (started in app.factory.ts). */
@Controller()
export class MqttIngestionController {
  private readonly log = new Logger(MqttIngestionController.name);
  readonly counters = { messages: 0, readings: 0, rejected: 0 };

  constructor(
    private readonly writer: ReadingsWriter,
    private readonly devices: DevicesService,
    private readonly metrics: ApiMetrics,
    private readonly consumer: MqttConsumerMetrics,
    private readonly acks: CommitAckPublisher,
    private readonly kinds: LiveSensorCatalogue,
  ) {}

  @EventPattern(topicFilters.allRaw, { qos: 1, shared: true })
  raw(m: MqttMessage): Promise<void> {
    this.consumer.received(m);
    return this.readings(m).finally(this.consumer.inFlight());
  }

  @EventPattern(topicFilters.allStatus, { qos: 1 })
  status(m: MqttMessage): Promise<void> {
    this.consumer.received(m);
    if (m.route?.kind !== 'status') return Promise.resolve();
    return this.presence(m.route.deviceId, m.payload).finally(this.consumer.inFlight());
  }

  /**
   * Decoding and queueing happen in accept(), a plain function: an async frame keeps its
   * locals until it ends, and the decoded readings must not wait for their commit (only the
   * seqs do), or they fill the old generation (apps/api/BENCHMARKS.md).
   */
  private async readings(m: MqttMessage): Promise<void> {
    if (m.route?.kind !== 'raw') return;
    this.counters.messages++;
    this.metrics.mqttConsumed.inc({ kind: 'raw' });
    const ctx = { deviceId: m.route.deviceId, sensor: m.route.sensor };
    let accepted = this.accept(m, ctx, false);
    if (!accepted) {
      // A kind created a moment ago whose NOTIFY has not arrived: reload once before refusing.
      await this.kinds.reload().catch(() => undefined);
      accepted = this.accept(m, ctx, true)!;
    }
    // The writer retries while PostgreSQL is away; what it finally refuses is not acknowledged.
    await accepted.committed;
    this.counters.readings += accepted.seqs.length;
    this.acks.sequences(ctx.deviceId, ctx.sensor, accepted.seqs);
    // Rejected items are acked as processed: sending them again would not make them valid.
    if (accepted.rejected.length) this.acks.sequences(ctx.deviceId, ctx.sensor, accepted.rejected);
  }

  /** Decodes a message and queues its valid readings; undefined: an unknown sensor, reload first. */
  private accept(
    { topic, payload }: MqttMessage,
    ctx: { deviceId: string; sensor: string },
    reloaded: boolean,
  ): { committed: Promise<void>; seqs: (number | undefined)[]; rejected: number[] } | undefined {
    const { readings, errors } = decodeReadings(payload, this.kinds.current, ctx);
    if (!reloaded && errors.some((e) => e.field === 'sensor')) return undefined;
    if (errors.length) {
      this.counters.rejected += errors.length;
      this.metrics.readingsRejected.inc({ source: 'mqtt' }, errors.length);
      const e = errors[0];
      this.log.warn(
        `rejected ${errors.length} item(s) on ${topic}: [${e.index}] ${e.field} ${e.reason}`,
      );
    }
    return {
      committed: this.writer.write(readings, 'mqtt'),
      seqs: readings.map((r) => r.seq),
      rejected: errors.flatMap((e) => (e.seq === undefined ? [] : [e.seq])),
    };
  }

  private async presence(deviceId: string, payload: Buffer): Promise<void> {
    this.metrics.mqttConsumed.inc({ kind: 'status' });
    const p = decodePresence(payload);
    if (!p) {
      this.log.warn(`ignored a malformed presence message of ${deviceId}`);
      return;
    }
    // Presence is state the device sends again (retained, and on every reconnect): a failed
    // write is logged and acknowledged rather than holding the connection.
    try {
      await this.devices.presence(deviceId, p.status, new Date(p.ts > 0 ? p.ts : Date.now()));
    } catch (e) {
      this.log.error(`could not record presence of ${deviceId}: ${(e as Error).message}`);
    }
  }
}
