import type { SensorKind } from './sensors';

/** One measurement. `ts` is milliseconds since the Unix epoch (UTC). */
export interface Reading {
  deviceId: string;
  sensor: SensorKind;
  value: number;
  ts: number;
  /** Per-sensor sequence number from the device; makes re-sent batches idempotent. */
  seq?: number;
  /** Replayed from an edge outbox after an outage: stored, but never re-opens alarms. */
  late?: boolean;
}

export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isDeviceId(value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID_PATTERN.test(value);
}
