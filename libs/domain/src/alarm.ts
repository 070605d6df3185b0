import type { SensorKind } from './sensors';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A constraint transition as published on `env/{deviceId}/event/{sensor}`:
 * the edge (or the server) raised or cleared rule `ruleId` for this device and sensor.
 */
export interface ConstraintEvent {
  deviceId: string;
  sensor: SensorKind;
  ruleId: string;
  state: 'raised' | 'cleared';
  severity: Severity;
  value: number;
  ts: number;
  message: string;
  /** Replayed after an outage; stored but does not re-open alarms. */
  late?: boolean;
  /** Per-device sequence number from an edge, echoed in its commit ack (CommitAck.event). */
  seq?: number;
}

export type AlarmState = 'active' | 'acknowledged' | 'cleared' | 'shelved';

export interface Alarm {
  id: string;
  deviceId: string;
  sensor: SensorKind;
  ruleId: string;
  state: AlarmState;
  severity: Severity;
  message: string;
  firstAt: string;
  lastAt: string;
  count: number;
  peakValue: number;
}
