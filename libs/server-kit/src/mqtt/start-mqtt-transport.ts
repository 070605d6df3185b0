/**
 * Runs an app's `@EventPattern` handlers on the MqttTransport (a hybrid Nest app: HTTP plus
 * this microservice). Started after `app.init()` so every provider a handler uses is ready
 * before the first message, and never waiting on the broker: the transport's `listen` returns
 * at once and the client connects (and subscribes) in the background, so a restarted app
 * answers `/health/live` while the broker is still unreachable.
 */
import type { INestApplication } from '@nestjs/common';
import { MqttTransport, type MqttTransportOptions } from './mqtt-transport';

const transports = new WeakMap<INestApplication, MqttTransport>();

export async function startMqttTransport(
  app: INestApplication,
  options: MqttTransportOptions,
): Promise<MqttTransport> {
  const transport = new MqttTransport(options);
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  transports.set(app, transport);
  return transport;
}

/** The transport `startMqttTransport` started for this app (tests await its `subscribed`). */
export function mqttTransportOf(app: INestApplication): MqttTransport {
  const transport = transports.get(app);
  if (!transport) throw new Error('no MqttTransport was started for this app');
  return transport;
}
