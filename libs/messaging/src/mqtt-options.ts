/** MQTT client settings shared by every app: one place for URL, credentials and protocol. */
import type { IClientOptions } from 'mqtt';

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
}

export const DEFAULT_MQTT_URL = 'mqtt://127.0.0.1:1883';

export function mqttSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MqttSettings {
  const url = env['MQTT_URL'] || DEFAULT_MQTT_URL;
  if (!/^(mqtts?|wss?|tcp):\/\/[^/]+/.test(url)) {
    throw new Error(`MQTT_URL must look like mqtt://host:port, got "${url}"`);
  }
  return {
    url,
    username: env['MQTT_USERNAME'] || undefined,
    password: env['MQTT_PASSWORD'] || undefined,
    sharedGroup: env['MQTT_SHARED_GROUP'] || undefined,
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
