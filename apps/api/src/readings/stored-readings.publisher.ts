/**
 * Announces readings that arrived over REST, after they are committed, as one message per
 * request on `server/readings/stored`: the alerting service evaluates them with the server's
 * rule sets (they have no edge verdict) and pushes them live. The request does not wait for
 * the broker; mqtt.js queues the message while it is disconnected.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { encodeReadingBatch, topicFilters, type Reading } from '@iotmon/domain';
import { MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';

@Injectable()
export class StoredReadingsPublisher {
  private readonly log = new Logger(StoredReadingsPublisher.name);

  constructor(@Inject(MQTT_CLIENT) private readonly client: MqttClient) {}

  publish(readings: readonly Reading[]): void {
    // In time order, so that the evaluator sees each sensor's readings in order.
    const ordered = [...readings].sort((a, b) => a.ts - b.ts);
    this.client.publish(topicFilters.stored, encodeReadingBatch(ordered), { qos: 1 }, (err) => {
      if (err)
        this.log.warn(`could not announce ${readings.length} stored readings: ${err.message}`);
    });
  }
}
