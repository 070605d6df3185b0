/**
 * Who may publish and subscribe to what, as data: the embedded broker checks it directly
 * and the Mosquitto dynamic-security roles are generated from it, so both brokers enforce
 * one table. A device is pinned to its own `env/{id}/...` topics; only services publish
 * config, acks and `server/...` topics.
 */

/** Service identities; each has its own MQTT username (`svc:<role>`) and password. */
export const SERVICE_ROLES = ['api', 'alerting', 'edge-fleet'] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

export type MqttIdentity =
  { kind: 'device'; deviceId: string } | { kind: 'service'; role: ServiceRole };

export interface TopicAcl {
  /** Topic filters a client may publish to (concrete topics are matched against them). */
  publish: readonly string[];
  /** Topic filters a client may subscribe within (a requested filter may be narrower). */
  subscribe: readonly string[];
}

/**
 * Usernames of services carry a colon, which no device id may contain (domain `isDeviceId`),
 * so a device can never be registered under a service's name.
 */
export const serviceUsername = (role: ServiceRole) => `svc:${role}`;

export function roleOfUsername(username: string): ServiceRole | undefined {
  const role = username.startsWith('svc:') ? username.slice(4) : undefined;
  return (SERVICE_ROLES as readonly string[]).includes(role ?? '')
    ? (role as ServiceRole)
    : undefined;
}

/** The dynamic-security control topic of Mosquitto: only the api, which provisions devices. */
export const DYNSEC_TOPIC = '$CONTROL/dynamic-security/v1';

export const SERVICE_ACLS: Record<ServiceRole, TopicAcl> = {
  api: {
    publish: ['server/readings/stored', 'env/+/ack', DYNSEC_TOPIC],
    subscribe: [
      'env/+/+/raw',
      'env/+/status',
      'env/+/event/+',
      'env/+/ack',
      `${DYNSEC_TOPIC}/response`,
    ],
  },
  alerting: {
    publish: ['env/+/config', 'env/+/ack'],
    subscribe: [
      'env/+/+/raw',
      'env/+/event/+',
      'env/+/status',
      'env/+/config',
      'env/+/ack',
      'server/readings/stored',
    ],
  },
  // One process simulating many nodes: the device topics of every node, nothing else.
  'edge-fleet': {
    publish: ['env/+/+/raw', 'env/+/event/+', 'env/+/status'],
    subscribe: ['env/+/config', 'env/+/ack'],
  },
};

export function deviceAcl(deviceId: string): TopicAcl {
  return {
    publish: [`env/${deviceId}/+/raw`, `env/${deviceId}/event/+`, `env/${deviceId}/status`],
    subscribe: [`env/${deviceId}/config`, `env/${deviceId}/ack`],
  };
}

export function aclOf(identity: MqttIdentity): TopicAcl {
  return identity.kind === 'device' ? deviceAcl(identity.deviceId) : SERVICE_ACLS[identity.role];
}

/** MQTT matching of a concrete topic against a filter with `+` and `#`. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Whether every topic the `requested` filter can match is also matched by `allowed`. */
export function filterWithin(allowed: string, requested: string): boolean {
  const a = allowed.split('/');
  const r = requested.split('/');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '#') return true;
    if (i >= r.length) return false;
    if (r[i] === '#') return false;
    if (a[i] === '+') continue;
    if (a[i] !== r[i]) return false;
  }
  return a.length === r.length;
}

/** `$share/<group>/<filter>` grants what `<filter>` grants (MQTT v5 shared subscriptions). */
function withoutSharePrefix(filter: string): string {
  const m = /^\$share\/[^/#+]+\/(.+)$/.exec(filter);
  return m ? m[1] : filter;
}

export function mayPublish(identity: MqttIdentity, topic: string): boolean {
  return aclOf(identity).publish.some((f) => topicMatches(f, topic));
}

export function maySubscribe(identity: MqttIdentity, filter: string): boolean {
  const wanted = withoutSharePrefix(filter);
  return aclOf(identity).subscribe.some((f) => filterWithin(f, wanted));
}
