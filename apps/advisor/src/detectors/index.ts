/** Every detector, and one run over a snapshot: findings ordered by severity, then confidence. */
import { alarmStorm, flappingRule } from './alarms.detectors';
import {
  backlogGrowing,
  consumerDown,
  replicaImbalance,
  replicasCpuBound,
} from './consumers.detectors';
import {
  databaseUnreachable,
  dbCheckpointPressure,
  dbLockWaits,
  dbPoolSaturated,
  dbSlowStatements,
} from './database.detectors';
import { deviceDrift, deviceSilent } from './devices.detectors';
import { ingestLagRising, ingestStalled, ingestWriteFailures } from './ingest.detectors';
import { certificateExpiry, webhookFailing } from './notifications.detectors';
import type { Detector, Finding, Snapshot } from './snapshot';
import { diskGrowthBeyondRetention } from './storage.detectors';

export * from './snapshot';
export { flapRemedy } from './flap-remedy';

export const ALL_DETECTORS: Detector[] = [
  databaseUnreachable,
  ingestStalled,
  ingestWriteFailures,
  ingestLagRising,
  consumerDown,
  backlogGrowing,
  replicaImbalance,
  replicasCpuBound,
  dbPoolSaturated,
  dbLockWaits,
  dbSlowStatements,
  dbCheckpointPressure,
  diskGrowthBeyondRetention,
  alarmStorm,
  flappingRule,
  deviceSilent,
  deviceDrift,
  webhookFailing,
  certificateExpiry,
];

const RANK = { critical: 0, warning: 1, info: 2 } as const;

export function runDetectors(s: Snapshot, detectors: Detector[] = ALL_DETECTORS): Finding[] {
  return detectors
    .flatMap((d) => d(s))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.confidence - a.confidence);
}
