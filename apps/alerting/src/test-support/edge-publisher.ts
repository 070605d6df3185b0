/** A simulated edge: publishes constraint events and readings on the real broker. */
import {
  encodeEvent,
  encodeReadings,
  topics,
  type ConstraintEvent,
  type Reading,
} from '@iotmon/domain';
import {
  connectMqtt,
  generateServicePasswords,
  type RegistryBroker,
  startRegistryBroker,
  whenConnected,
} from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';

export interface EdgePublisher {
  client: MqttClient;
  event(e: ConstraintEvent): Promise<void>;
  readings(rs: Reading[]): Promise<void>;
  close(): Promise<void>;
}

/** The embedded broker with authentication on: services by password, devices by key. */
export function startTestBroker(databaseUrl: string): Promise<RegistryBroker> {
  return startRegistryBroker({ databaseUrl, services: generateServicePasswords(), port: 0 });
}

/** Signs in as the edge-fleet service, which may publish for any device (as fleet mode does). */
export async function startEdgePublisher(
  broker: RegistryBroker,
  clientId = `edge-sim-${process.pid}`,
): Promise<EdgePublisher> {
  const client = connectMqtt(broker.url, {
    clientId,
    reconnectPeriod: 500,
    ...broker.login('edge-fleet'),
  });
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
