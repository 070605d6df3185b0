/**
 * The MQTT topic contract. The device id is part of every topic so a broker ACL can pin a
 * device to its own topics (Mosquitto: `pattern write env/%u/#`).
 */
import { isDeviceId } from './reading';
import { isSensorKind, type SensorKind } from './sensors';

export const TOPIC_ROOT = 'env';

export const topics = {
  raw: (deviceId: string, sensor: SensorKind) => `${TOPIC_ROOT}/${deviceId}/${sensor}/raw`,
  event: (deviceId: string, sensor: SensorKind) => `${TOPIC_ROOT}/${deviceId}/event/${sensor}`,
  status: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/status`,
  config: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/config`,
  /** What the server committed for this device (CommitAck); published by api and alerting. */
  ack: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/ack`,
} as const;

/** Subscription filters for consumers. */
export const topicFilters = {
  allRaw: `${TOPIC_ROOT}/+/+/raw`,
  /**
   * Readings the api stored that arrived over REST, one message per request (full readings
   * with device and sensor): for server-side rules and live push. A server topic, outside the
   * per-device `env/` tree that device ACLs are written for.
   */
  stored: 'server/readings/stored',
  allEvents: `${TOPIC_ROOT}/+/event/+`,
  allStatus: `${TOPIC_ROOT}/+/status`,
  /** MQTT v5 shared subscription: replicas in `group` split the messages between them. */
  shared: (group: string, filter: string) => `$share/${group}/${filter}`,
} as const;

export type ParsedTopic =
  | { kind: 'raw'; deviceId: string; sensor: SensorKind }
  | { kind: 'stored' }
  | { kind: 'event'; deviceId: string; sensor: SensorKind }
  | { kind: 'status'; deviceId: string }
  | { kind: 'config'; deviceId: string }
  | { kind: 'ack'; deviceId: string };

/** Parses a concrete topic; returns null for anything outside the contract. */
export function parseTopic(topic: string): ParsedTopic | null {
  if (topic === topicFilters.stored) return { kind: 'stored' };
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT || !isDeviceId(parts[1])) return null;
  const deviceId = parts[1];
  if (parts.length === 3) {
    if (parts[2] === 'status') return { kind: 'status', deviceId };
    if (parts[2] === 'config') return { kind: 'config', deviceId };
    if (parts[2] === 'ack') return { kind: 'ack', deviceId };
    return null;
  }
  if (parts.length !== 4) return null;
  if (parts[3] === 'raw' && isSensorKind(parts[2])) {
    return { kind: 'raw', deviceId, sensor: parts[2] };
  }
  if (parts[2] === 'event' && isSensorKind(parts[3])) {
    return { kind: 'event', deviceId, sensor: parts[3] };
  }
  return null;
}
