/**
 * Mosquitto's dynamic-security plugin, fed from the same ACL table as the embedded broker:
 * `dynsecConfig` writes the plugin's starting file (service roles and clients, PBKDF2-SHA512
 * hashes as Mosquitto stores them), and `DynsecProvisioner` creates, re-keys and deletes one
 * client and role per device over `$CONTROL/dynamic-security/v1` as the api registers,
 * rotates and deletes devices. Mosquitto closes a client's sessions itself when its password
 * changes or it is deleted.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import {
  deviceAcl,
  DYNSEC_TOPIC,
  SERVICE_ACLS,
  serviceUsername,
  type ServiceRole,
  type TopicAcl,
} from './broker-acl';

interface DynsecAcl {
  acltype: 'publishClientSend' | 'publishClientReceive' | 'subscribePattern';
  topic: string;
  allow: boolean;
}

/** The ACL entries of a role; services also get `$share/+/…` for shared subscriptions. */
function aclEntries(acl: TopicAcl, shared: boolean): DynsecAcl[] {
  const subs = shared
    ? acl.subscribe.flatMap((f) => (f.startsWith('$') ? [f] : [f, `$share/+/${f}`]))
    : acl.subscribe;
  return [
    ...acl.publish.map((topic) => ({ acltype: 'publishClientSend' as const, topic, allow: true })),
    ...subs.map((topic) => ({ acltype: 'subscribePattern' as const, topic, allow: true })),
    // `$CONTROL` answers reach only clients explicitly allowed to receive them.
    ...acl.subscribe
      .filter((f) => f.startsWith('$CONTROL/'))
      .map((topic) => ({ acltype: 'publishClientReceive' as const, topic, allow: true })),
  ];
}

/** Mosquitto's password hash: PBKDF2-SHA512, 12-byte salt, base64 (as in its own files). */
function hashPassword(password: string, iterations = 101) {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return { password: hash.toString('base64'), salt: salt.toString('base64'), iterations };
}

/** The plugin's configuration file: deny by default, one role and client per service. */
export function dynsecConfig(services: Partial<Record<ServiceRole, string>>): object {
  const roles = Object.entries(services).map(([role]) => ({
    rolename: `service:${role}`,
    acls: aclEntries(SERVICE_ACLS[role as ServiceRole], true),
  }));
  const clients = Object.entries(services)
    .filter((e): e is [ServiceRole, string] => Boolean(e[1]))
    .map(([role, password]) => ({
      username: serviceUsername(role),
      textname: `iotmon ${role}`,
      roles: [{ rolename: `service:${role}` }],
      ...hashPassword(password),
    }));
  return {
    defaultACLAccess: {
      publishClientSend: false,
      publishClientReceive: true,
      subscribe: false,
      unsubscribe: true,
    },
    clients,
    groups: [],
    roles,
  };
}

type Command = Record<string, unknown> & { command: string };

interface Pending {
  resolve(): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class DynsecError extends Error {}

/** Sends dynamic-security commands on the given (api) client and waits for their answers. */
export class DynsecProvisioner {
  private readonly pending = new Map<string, Pending>();
  private readonly prefix = randomBytes(6).toString('hex');
  private seq = 0;
  private readonly ready: Promise<void>;

  constructor(
    private readonly client: MqttClient,
    private readonly timeoutMs = 5_000,
  ) {
    const response = `${DYNSEC_TOPIC}/response`;
    let subscribed!: () => void;
    this.ready = new Promise((r) => (subscribed = r));
    const subscribe = () =>
      client.subscribe(response, { qos: 1 }, (err) => {
        if (!err) subscribed();
      });
    client.on('connect', subscribe);
    if (client.connected) subscribe();
    // Answers to this client's own commands (request/response, matched by correlation id),
    // not a consumer of device traffic: it listens beside the api's MqttTransport, which
    // acknowledges the message and then lets mqtt.js emit it here.
    client.on('message', (topic, payload) => {
      if (topic === response) this.answer(payload);
    });
  }

  deviceCreated(deviceId: string, key: string): Promise<void> {
    const role = `device:${deviceId}`;
    return this.send([
      { command: 'createRole', rolename: role, acls: aclEntries(deviceAcl(deviceId), false) },
      { command: 'createClient', username: deviceId, password: key, roles: [{ rolename: role }] },
    ]);
  }

  keyRotated(deviceId: string, key: string): Promise<void> {
    return this.send([{ command: 'setClientPassword', username: deviceId, password: key }]);
  }

  async deviceDeleted(deviceId: string): Promise<void> {
    await this.send([
      { command: 'deleteClient', username: deviceId },
      { command: 'deleteRole', rolename: `device:${deviceId}` },
    ]);
  }

  private async send(commands: Command[]): Promise<void> {
    await this.ready;
    const waits = commands.map((c) => {
      const id = `${this.prefix}-${++this.seq}`;
      c['correlationData'] = id;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new DynsecError(`broker did not answer ${c.command} within ${this.timeoutMs} ms`));
        }, this.timeoutMs);
        this.pending.set(id, { resolve, reject, timer });
      });
    });
    this.client.publish(DYNSEC_TOPIC, JSON.stringify({ commands }), { qos: 1 });
    await Promise.all(waits);
  }

  private answer(payload: Buffer): void {
    let body: { responses?: { command?: string; error?: string; correlationData?: string }[] };
    try {
      body = JSON.parse(payload.toString()) as typeof body;
    } catch {
      return;
    }
    for (const r of body.responses ?? []) {
      const p = r.correlationData ? this.pending.get(r.correlationData) : undefined;
      if (!p) continue;
      this.pending.delete(r.correlationData!);
      clearTimeout(p.timer);
      if (r.error) p.reject(new DynsecError(`${r.command}: ${r.error}`));
      else p.resolve();
    }
  }
}
