/** MQTT client settings shared by every app: one place for URL, credentials, TLS and protocol. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@iotmon/config';
import type { IClientOptions } from 'mqtt';

/** PEM files for mqtts:// and wss://: the CA to trust, and a client certificate if required. */
export interface MqttTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export interface MqttSettings {
  url: string;
  username?: string;
  password?: string;
  /**
   * MQTT v5 shared-subscription group for scaled-out consumers (`$share/<group>/...`).
   * Unset with the embedded Aedes broker, which speaks MQTT 3.1.1 and has no shared
   * subscriptions; set it (and use Mosquitto or EMQX) when running several replicas.
   */
  sharedGroup?: string;
  tls?: MqttTls;
}

export const DEFAULT_MQTT_URL = 'mqtt://127.0.0.1:1883';

export function mqttSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MqttSettings {
  const url = env['MQTT_URL'] || DEFAULT_MQTT_URL;
  if (!/^(mqtts?|wss?|tcp):\/\/[^/]+/.test(url)) {
    throw new ConfigError('MQTT_URL', `must look like mqtt://host:port, got "${url}"`);
  }
  const pem = (name: string): Buffer | undefined => {
    const file = env[name];
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (e) {
      throw new ConfigError(name, `cannot be read: ${(e as Error).message}`);
    }
  };
  const tls: MqttTls = {
    ca: pem('MQTT_CA_FILE'),
    cert: pem('MQTT_CERT_FILE'),
    key: pem('MQTT_KEY_FILE'),
  };
  if (!tls.cert !== !tls.key) {
    throw new ConfigError(tls.cert ? 'MQTT_KEY_FILE' : 'MQTT_CERT_FILE', 'must be set too');
  }
  const secure = /^(mqtts|wss):/.test(url);
  if (!secure && (tls.ca || tls.cert)) {
    throw new ConfigError(
      'MQTT_URL',
      `must be mqtts:// or wss:// when MQTT_CA_FILE or MQTT_CERT_FILE is set, got "${url}"`,
    );
  }
  return {
    url,
    username: env['MQTT_USERNAME'] || undefined,
    password: env['MQTT_PASSWORD'] || undefined,
    sharedGroup: env['MQTT_SHARED_GROUP'] || undefined,
    tls: secure ? tls : undefined,
  };
}

/** mqtt.js options: v5 only where shared subscriptions are wanted, fast reconnects. */
export function mqttClientOptions(
  settings: MqttSettings,
  clientId: string,
  extra: IClientOptions = {},
): IClientOptions {
  return {
    clientId,
    username: settings.username,
    password: settings.password,
    // The server certificate is always verified (against MQTT_CA_FILE or the system CAs).
    ...(settings.tls ? { ...settings.tls, rejectUnauthorized: true } : {}),
    protocolVersion: settings.sharedGroup ? 5 : 4,
    reconnectPeriod: 1_000,
    connectTimeout: 5_000,
    keepalive: 30,
    ...extra,
  };
}

/** Applies the shared-subscription prefix when a group is configured. */
export function consumerFilter(settings: MqttSettings, filter: string): string {
  return settings.sharedGroup ? `$share/${settings.sharedGroup}/${filter}` : filter;
}
