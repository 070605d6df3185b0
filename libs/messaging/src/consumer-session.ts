/**
 * The persistent MQTT session of a service that consumes (api ingestion, alerting events):
 * a client id that stays the same across restarts of one replica, clean start off, and (MQTT
 * v5) a session expiry, so that what is published while the consumer restarts waits in the
 * broker for it, and what it received but had not acknowledged is delivered again.
 */
import { hostname } from 'node:os';
import { ConfigError, EnvReader } from '@iotmon/config';
import type { IClientOptions } from 'mqtt';

export interface ConsumerSession {
  /** `MQTT_CLIENT_ID`; default `<app>-<host name>-<HTTP port>`: stable per replica, unique per host. */
  clientId: string;
  /** `MQTT_SESSION_EXPIRY_S` (MQTT v5): how long the broker keeps the session of a replica that is gone. */
  sessionExpirySeconds: number;
}

export function consumerSessionFromEnv(
  app: string,
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): ConsumerSession {
  const read = new EnvReader(env);
  // Kubernetes sets HOSTNAME to the pod name; elsewhere the machine's name.
  const host = (env['HOSTNAME'] || hostname()).replace(/[^A-Za-z0-9._-]/g, '_');
  // An ephemeral port (tests) is no identity: such a process gets a session of its own.
  const replica =
    port > 0 ? String(port) : `${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
  const clientId = read.string('MQTT_CLIENT_ID', `${app}-${host}-${replica}`);
  if (!/^[\x21-\x7e]{1,128}$/.test(clientId) || /[+#/]/.test(clientId))
    throw new ConfigError('MQTT_CLIENT_ID', 'must be 1-128 printable characters without + # /');
  return {
    clientId,
    sessionExpirySeconds: read.int('MQTT_SESSION_EXPIRY_S', 3_600, 60, 7 * 86_400),
  };
}

/**
 * mqtt.js options for that session (v5 carries the expiry; 3.1.1 brokers keep it until taken
 * over). The broker sends what the session holds right after CONNACK, so the client's
 * messages must wait for the consumer's handlers: MqttModule `consumer: true` (held-messages.ts).
 */
export function consumerSessionOptions(session: ConsumerSession, v5: boolean): IClientOptions {
  return {
    clean: false,
    ...(v5 ? { properties: { sessionExpiryInterval: session.sessionExpirySeconds } } : {}),
  };
}
