/**
 * Authentication and authorization of the embedded broker: Aedes `authenticate`,
 * `authorizePublish` and `authorizeSubscribe` over the ACL table (broker-acl.ts). Services
 * sign in with their configured passwords, devices with their device key (checked by a
 * DeviceKeyVerifier, in production the api's key store in PostgreSQL). When a device's key
 * is rotated or revoked the verifier says so and every live session of that device is closed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import {
  type MqttIdentity,
  mayPublish,
  maySubscribe,
  roleOfUsername,
  type ServiceRole,
} from './broker-acl';

export interface DeviceKeyVerifier {
  /** Whether `key` is the current key of device `deviceId`. */
  verify(deviceId: string, key: string): Promise<boolean>;
  /** Registers a listener called with a device id whenever its key changes or it is deleted. */
  onRevoked(listener: (deviceId: string) => void): void;
}

export interface BrokerAccess {
  /** Password per service role; a role without one cannot sign in. */
  services: Partial<Record<ServiceRole, string>>;
  /** Device keys; without a verifier no device can sign in (services only). */
  devices?: DeviceKeyVerifier;
  /** Told about refused connections and denied publishes (never with a password). */
  log?: (line: string) => void;
}

// Same shape as device ids (domain isDeviceId); repeated to keep this lib free of domain rules.
const DEVICE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;
const IDENTIFIER_REJECTED = 2;

const digest = (s: string | Buffer) => createHash('sha256').update(s).digest();

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export class BrokerGate {
  private readonly identities = new WeakMap<Client, MqttIdentity & { username: string }>();
  private readonly sessions = new Map<string, Set<Client>>();
  /** Owner of each persistent (clean = false) session, so no one else can resume it. */
  private readonly sessionOwners = new Map<string, string>();
  private readonly serviceDigests: [ServiceRole, Buffer][];
  private clients: Record<string, Client> = {};

  constructor(private readonly access: BrokerAccess) {
    this.serviceDigests = Object.entries(access.services)
      .filter((e): e is [ServiceRole, string] => typeof e[1] === 'string' && e[1].length > 0)
      .map(([role, password]) => [role, digest(password)]);
    access.devices?.onRevoked((deviceId) => this.disconnect(deviceId));
  }

  /** The hooks to pass to Aedes. */
  hooks(): Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'> {
    return {
      authenticate: (client, username, password, done) => {
        this.authenticate(client, username, password).then(
          () => done(null, true),
          (e: AuthenticateError) => {
            this.access.log?.(`refused ${client.id} (${username ?? 'anonymous'}): ${e.message}`);
            done(e, false);
          },
        );
      },
      authorizePublish: (client, packet, done) => {
        const who = client ? this.identities.get(client) : undefined;
        if (who && mayPublish(who, packet.topic)) return done(null);
        this.access.log?.(`denied publish to ${packet.topic} by ${who?.username ?? 'unknown'}`);
        done(new Error(`not authorized to publish to ${packet.topic}`));
      },
      authorizeSubscribe: (client, sub, done) => {
        const who = client ? this.identities.get(client) : undefined;
        // A null subscription makes Aedes answer 0x80 (failure) for this filter only.
        done(null, who && maySubscribe(who, sub.topic) ? sub : null);
      },
    };
  }

  /** Called by the broker with its client table and on every disconnect. */
  attach(clients: Record<string, Client>): void {
    this.clients = clients;
  }

  forget(client: Client): void {
    const who = this.identities.get(client);
    if (who) this.sessions.get(who.username)?.delete(client);
  }

  /** Closes every live session of a device (its key was rotated or revoked). */
  disconnect(deviceId: string): void {
    const live = this.sessions.get(deviceId);
    if (!live) return;
    this.sessions.delete(deviceId);
    for (const c of live) c.close();
    this.access.log?.(`closed ${live.size} session(s) of ${deviceId}: key changed`);
  }

  private async authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<void> {
    if (!username || !password) throw refusal(NOT_AUTHORIZED, 'credentials required');
    const identity = await this.identify(username, password);
    if (!identity) throw refusal(BAD_CREDENTIALS, 'bad username or password');
    const holder = this.clients[client.id];
    const holderName = holder ? this.identities.get(holder)?.username : undefined;
    const owner = this.sessionOwners.get(client.id) ?? holderName;
    if (owner !== undefined && owner !== username) {
      throw refusal(IDENTIFIER_REJECTED, 'client id in use by another identity');
    }
    if (!client.clean) {
      this.sessionOwners.set(client.id, username);
    }
    this.identities.set(client, { ...identity, username });
    const set = this.sessions.get(username) ?? new Set<Client>();
    set.add(client);
    this.sessions.set(username, set);
  }

  private async identify(username: string, password: Buffer): Promise<MqttIdentity | undefined> {
    const role = roleOfUsername(username);
    if (role) {
      const given = digest(password);
      const match = this.serviceDigests.find(([r, d]) => r === role && timingSafeEqual(d, given));
      return match ? { kind: 'service', role } : undefined;
    }
    if (!DEVICE_ID.test(username) || !this.access.devices) return undefined;
    const ok = await this.access.devices.verify(username, password.toString('utf8'));
    return ok ? { kind: 'device', deviceId: username } : undefined;
  }
}
