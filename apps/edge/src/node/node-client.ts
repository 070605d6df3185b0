/** Opens one node's MQTT connection: retained `offline` as last will, reconnect with backoff. */
import { encodePresence, topics } from '@iotmon/domain';
import { connectMqtt, mqttClientOptions, type MqttSettings } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { attachBackoff, type BackoffOptions } from './backoff';

export function connectNode(
  settings: MqttSettings,
  nodeId: string,
  backoff: BackoffOptions,
): MqttClient {
  const client = connectMqtt(
    settings.url,
    mqttClientOptions(settings, `edge-${nodeId}`, {
      // The broker publishes this if the node vanishes without a clean disconnect.
      will: {
        topic: topics.status(nodeId),
        payload: Buffer.from(encodePresence({ status: 'offline', ts: 0 })),
        qos: 1,
        retain: true,
      },
      // The outbox owns undelivered messages; mqtt.js must not queue them in memory too.
      queueQoSZero: false,
    }),
  );
  attachBackoff(client, backoff);
  // Connection errors are reported by presence and metrics; without a listener they throw.
  client.on('error', () => undefined);
  return client;
}
