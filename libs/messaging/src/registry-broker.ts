/**
 * The embedded broker as `npm start` and the integration tests run it: services sign in with
 * their passwords, devices with the keys of the api's device registry in PostgreSQL, whose
 * changes close the affected sessions at once.
 */
import { randomBytes } from 'node:crypto';
import { DeviceKeyDirectory, PgConnections } from '@iotmon/persistence';
import { serviceUsername, SERVICE_ROLES, type ServiceRole } from './broker-acl';
import {
  startEmbeddedBroker,
  type EmbeddedBroker,
  type EmbeddedBrokerOptions,
} from './embedded-broker';

export type ServicePasswords = Record<ServiceRole, string>;

export function generateServicePasswords(): ServicePasswords {
  return Object.fromEntries(
    SERVICE_ROLES.map((r) => [r, randomBytes(18).toString('base64url')]),
  ) as ServicePasswords;
}

export interface RegistryBroker extends EmbeddedBroker {
  keys: DeviceKeyDirectory;
  /** MQTT_URL, MQTT_USERNAME and MQTT_PASSWORD for an app signing in as `role`. */
  env(role: ServiceRole): Record<string, string>;
  /** mqtt.js `username` and `password` of a service. */
  login(role: ServiceRole): { username: string; password: string };
}

export type RegistryBrokerOptions = Omit<EmbeddedBrokerOptions, 'access'> & {
  databaseUrl: string;
  services: Partial<ServicePasswords>;
  log?: (line: string) => void;
};

export async function startRegistryBroker(opts: RegistryBrokerOptions): Promise<RegistryBroker> {
  const { databaseUrl, services, log, ...rest } = opts;
  // The broker process's one pool (no TypeORM here) and, from it, the one LISTEN connection.
  const pg = PgConnections.open({ connectionString: databaseUrl, max: 4 });
  const keys = new DeviceKeyDirectory(pg, { log });
  await keys.start();
  const broker = await startEmbeddedBroker({ ...rest, access: { services, devices: keys, log } });
  const login = (role: ServiceRole) => {
    const password = services[role];
    if (!password) throw new Error(`no password configured for service ${role}`);
    return { username: serviceUsername(role), password };
  };
  return {
    ...broker,
    keys,
    login,
    env: (role) => {
      const l = login(role);
      return { MQTT_URL: broker.url, MQTT_USERNAME: l.username, MQTT_PASSWORD: l.password };
    },
    close: async () => {
      await broker.close();
      await keys.close();
      await pg.close();
    },
  };
}
