/** Opens an mqtt.js client with Nagle's algorithm off (it adds 20-40 ms tails at low rates). */
import type { Socket } from 'node:net';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';

export function noDelay(client: MqttClient): MqttClient {
  client.on('connect', () => {
    const stream = client.stream as unknown as Partial<Socket>;
    stream.setNoDelay?.(true);
  });
  return client;
}

export function connectMqtt(url: string, options: IClientOptions): MqttClient {
  return noDelay(connect(url, options));
}

/** Resolves on the first CONNACK, rejects after `timeoutMs` (the client keeps retrying). */
export function whenConnected(client: MqttClient, timeoutMs = 10_000): Promise<void> {
  if (client.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('connect', onConnect);
      reject(new Error(`MQTT broker not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onConnect = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('connect', onConnect);
  });
}
