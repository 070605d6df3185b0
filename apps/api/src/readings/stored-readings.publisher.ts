/**
 * Announces readings that arrived over REST, after they are committed, as one message per
 * request on `server/readings/stored`: the alerting service evaluates them with the server's
 * rule sets (they have no edge verdict) and pushes them live. The request does not wait for
 * the broker; mqtt.js queues the message while it is disconnected. The request's correlation id
 * and trace context go along as MQTT v5 user properties (brokers speaking 3.1.1 drop them).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { encodeReadingBatch, topicFilters, type Reading } from '@iotmon/domain';
import { MQTT_CLIENT } from '@iotmon/messaging';
import {
  CORRELATION_PROPERTY,
  currentCorrelationId,
  mqttSpan,
  traceCarrier,
} from '@iotmon/server-kit';
import type { MqttClient } from 'mqtt';

@Injectable()
export class StoredReadingsPublisher {
  private readonly log = new Logger(StoredReadingsPublisher.name);

  constructor(@Inject(MQTT_CLIENT) private readonly client: MqttClient) {}

  publish(readings: readonly Reading[]): void {
    // In time order, so that the evaluator sees each sensor's readings in order.
    const ordered = [...readings].sort((a, b) => a.ts - b.ts);
    const topic = topicFilters.stored;
    mqttSpan({ kind: 'publish', topic, attributes: { 'iotmon.readings': readings.length } }, () => {
      const correlationId = currentCorrelationId();
      const userProperties = {
        ...traceCarrier(),
        ...(correlationId ? { [CORRELATION_PROPERTY]: correlationId } : {}),
      };
      this.client.publish(
        topic,
        encodeReadingBatch(ordered),
        { qos: 1, properties: { userProperties } },
        (err) => {
          if (err)
            this.log.warn({
              msg: `could not announce ${readings.length} stored readings: ${err.message}`,
              correlationId,
            });
        },
      );
    });
  }
}
