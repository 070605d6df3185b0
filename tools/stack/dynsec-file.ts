/**
 * Writes Mosquitto's dynamic-security file for the chart's init step (helm/iotmon
 * mosquitto.yaml): the service roles and clients from the one ACL table (`dynsecConfig`),
 * with the passwords from MQTT_PASSWORD_API, _ALERTING and _EDGE_FLEET.
 * Usage: node dist/tools/stack/dynsec-file.js <file>
 *
 * An existing file is kept apart from its service entries: Mosquitto saves the device
 * clients and roles the api provisioned into the same file, and those must survive a restart,
 * while a changed service password or ACL table takes effect at the next start.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { EnvReader, loadConfigOrExit } from '@iotmon/config';
import { dynsecConfig, SERVICE_ROLES, serviceUsername } from '@iotmon/messaging';
import { servicePasswords } from './service-passwords';

interface DynsecFile {
  clients: { username: string }[];
  roles: { rolename: string }[];
  [key: string]: unknown;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node dist/tools/stack/dynsec-file.js <dynamic-security.json>');
  process.exit(1);
}
const fresh = dynsecConfig(
  loadConfigOrExit(() => servicePasswords(new EnvReader(process.env), true)),
) as DynsecFile;
const serviceUsers = new Set(SERVICE_ROLES.map(serviceUsername));
let out = fresh;
if (existsSync(file)) {
  const old = JSON.parse(readFileSync(file, 'utf8')) as DynsecFile;
  out = {
    ...old,
    defaultACLAccess: fresh['defaultACLAccess'],
    clients: [...old.clients.filter((c) => !serviceUsers.has(c.username)), ...fresh.clients],
    roles: [...old.roles.filter((r) => !r.rolename.startsWith('service:')), ...fresh.roles],
  };
}
writeFileSync(`${file}.tmp`, JSON.stringify(out, null, 2), { mode: 0o600 });
renameSync(`${file}.tmp`, file);
console.log(
  `dynamic-security file ${file}: ${out.clients.length} clients, ${out.roles.length} roles`,
);
