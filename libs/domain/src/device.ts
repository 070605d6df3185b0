import type { SensorKind } from './sensors';

/** Presence derived from the status topic and last-seen time. */
export type DeviceStatus = 'online' | 'stale' | 'offline' | 'unknown';

export interface Device {
  id: string;
  name: string;
  location: string | null;
  sensors: SensorKind[];
  metadata: Record<string, unknown>;
  status: DeviceStatus;
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Payload of the retained `env/{deviceId}/status` topic. */
export interface PresencePayload {
  status: 'online' | 'offline';
  ts: number;
}
