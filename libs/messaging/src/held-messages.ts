/**
 * A persistent session's broker sends what it held for the client right after CONNACK,
 * before any SUBSCRIBE and possibly before the consumer's handlers exist; mqtt.js's default
 * handler would acknowledge those messages to nobody. `holdMessages` parks them instead,
 * unacknowledged (mqtt.js reads no further packet until one is answered), and
 * `consumeMessages` installs the real handler and hands it what was parked.
 */
import type { IPublishPacket, MqttClient } from 'mqtt';

type Handler = (packet: IPublishPacket, done: (err?: Error) => void) => void;

const parked = new WeakMap<MqttClient, [IPublishPacket, (err?: Error) => void][]>();

export function holdMessages(client: MqttClient): MqttClient {
  const waiting: [IPublishPacket, (err?: Error) => void][] = [];
  parked.set(client, waiting);
  client.handleMessage = (packet, done) => void waiting.push([packet, done]);
  return client;
}

export function consumeMessages(client: MqttClient, handler: Handler): void {
  client.handleMessage = handler;
  const waiting = parked.get(client);
  parked.delete(client);
  for (const [packet, done] of waiting ?? []) handler(packet, done);
}
