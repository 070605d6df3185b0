/**
 * The MQTT service passwords from MQTT_PASSWORD_API, _ALERTING and _EDGE_FLEET, checked as
 * the embedded broker (broker.ts) and the chart's Mosquitto init step (dynsec-file.ts) both
 * read them. `required`: every service must have one.
 */
import { ConfigError, EnvReader } from '@iotmon/config';
import { SERVICE_ROLES, type ServiceRole } from '@iotmon/messaging';

export const passwordVar = (role: ServiceRole) =>
  `MQTT_PASSWORD_${role.toUpperCase().replace('-', '_')}`;

export function servicePasswords(
  read: EnvReader,
  required = false,
): Partial<Record<ServiceRole, string>> {
  const services: Partial<Record<ServiceRole, string>> = {};
  for (const role of SERVICE_ROLES) {
    const p = read.optional(passwordVar(role));
    if (p === undefined && required) throw new ConfigError(passwordVar(role), 'is required');
    if (p !== undefined && p.length < 12)
      throw new ConfigError(passwordVar(role), 'must be at least 12 characters');
    services[role] = p;
  }
  return services;
}
