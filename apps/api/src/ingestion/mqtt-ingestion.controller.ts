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

  private async readings({ topic, route: parsed, payload }: MqttMessage): Promise<void> {
    if (parsed?.kind !== 'raw') return;
    this.counters.messages++;
    this.metrics.mqttConsumed.inc({ kind: 'raw' });
    const ctx = { deviceId: parsed.deviceId, sensor: parsed.sensor };
    let { readings, errors } = decodeReadings(payload, this.kinds.current, ctx);
    if (errors.some((e) => e.field === 'sensor')) {
      // A kind created a moment ago whose NOTIFY has not arrived: reload once before refusing.
      await this.kinds.reload().catch(() => undefined);
      ({ readings, errors } = decodeReadings(payload, this.kinds.current, ctx));
    }
    if (errors.length) {
      this.counters.rejected += errors.length;
      this.metrics.readingsRejected.inc({ source: 'mqtt' }, errors.length);
      const e = errors[0];
      this.log.warn(
        `rejected ${errors.length} item(s) on ${topic}: [${e.index}] ${e.field} ${e.reason}`,
      );
    }
    // Rejected items are acked as processed: sending them again would not make them valid.
    const rejected = errors
      .filter((e) => e.seq !== undefined)
      .map((e) => ({ deviceId: parsed.deviceId, sensor: parsed.sensor, seq: e.seq }));
    // Only the seqs wait for the commit, not the reading objects (see readings-writer.ts).
    const seqs = readings.map((r) => r.seq);
    // The writer retries while PostgreSQL is away; what it finally refuses is not acknowledged.
    if (readings.length > 0) await this.writer.write(readings, 'mqtt');
    this.counters.readings += seqs.length;
    this.acks.sequences(ctx.deviceId, ctx.sensor, seqs);
    if (rejected.length) this.acks.readings(rejected);
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
