/**
 * Announces readings that arrived over REST, after they are committed, on
 * `env/{deviceId}/{sensor}/stored`: the alerting service evaluates them with the server's
 * rule sets (they have no edge verdict) and pushes them live. The request does not wait for
 * the broker; mqtt.js queues the messages while it is disconnected.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { encodeReadings, topics, type Reading } from '@iotmon/domain';
import { MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';

@Injectable()
export class StoredReadingsPublisher {
  private readonly log = new Logger(StoredReadingsPublisher.name);

  constructor(@Inject(MQTT_CLIENT) private readonly client: MqttClient) {}

  publish(readings: readonly Reading[]): void {
    const groups = new Map<string, Reading[]>();
    for (const r of readings) {
      const topic = topics.stored(r.deviceId, r.sensor);
      const group = groups.get(topic);
      if (group) group.push(r);
      else groups.set(topic, [r]);
    }
    for (const [topic, group] of groups) {
      // Ordered by time so the evaluator sees each sensor's readings in order.
      group.sort((a, b) => a.ts - b.ts);
      this.client.publish(topic, encodeReadings(group), { qos: 1 }, (err) => {
        if (err)
          this.log.warn(`could not announce ${group.length} readings on ${topic}: ${err.message}`);
      });
    }
  }
}
