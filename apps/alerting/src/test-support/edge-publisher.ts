/** A simulated edge: publishes constraint events and readings on the real broker. */
import {
  encodeEvent,
  encodeReadings,
  topics,
  type ConstraintEvent,
  type Reading,
} from '@iotmon/domain';
import { connectMqtt, whenConnected } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';

export interface EdgePublisher {
  client: MqttClient;
  event(e: ConstraintEvent): Promise<void>;
  readings(rs: Reading[]): Promise<void>;
  close(): Promise<void>;
}

export async function startEdgePublisher(
  url: string,
  clientId = `edge-sim-${process.pid}`,
): Promise<EdgePublisher> {
  const client = connectMqtt(url, { clientId, reconnectPeriod: 500 });
  await whenConnected(client);
  return {
    client,
    event: async (e) => {
      await client.publishAsync(topics.event(e.deviceId, e.sensor), encodeEvent(e), { qos: 1 });
    },
    readings: async (rs) => {
      await client.publishAsync(topics.raw(rs[0].deviceId, rs[0].sensor), encodeReadings(rs), {
        qos: 1,
      });
    },
    close: () => client.endAsync(),
  };
}
