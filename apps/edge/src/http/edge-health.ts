/**
 * What /health reports: connection, outbox backlog, rule set and every sensor that fails.
 * The process stays up (and answers 200) while the broker is away: it is buffering, which is
 * its job; `status: degraded` says so.
 */
import { Injectable } from '@nestjs/common';
import type { SensorKind } from '@iotmon/domain';
import type { RuleSetInfo } from '../decisions/decisions';
import { EdgeRuntime } from '../runtime/edge-runtime.service';

export interface SensorHealth {
  sensor: SensorKind;
  nodeId: string;
  samples: number;
  failures: number;
  failing: number;
  lastError?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  nodes: number;
  connected: number;
  uptimeS: number;
  outbox: {
    events: number;
    readings: number;
    bytes: number;
    oldestAgeMs: number;
    dropped: { events: number; readings: number };
  };
  /** The single node's rule set (fleet: the first node's). */
  ruleSet: RuleSetInfo | undefined;
  /** Single node: every sensor. Fleet: only the failing ones (at most 100). */
  sensors: SensorHealth[];
  failingSensors: number;
}

@Injectable()
export class EdgeHealth {
  constructor(private readonly runtime: EdgeRuntime) {}

  report(): HealthReport {
    const t = this.runtime.totals();
    const all: SensorHealth[] = this.runtime.nodes.flatMap((n) =>
      n.sensorStats().map((s) => ({
        sensor: s.kind,
        nodeId: n.nodeId,
        samples: s.samples,
        failures: s.failures,
        failing: s.failing,
        ...(s.lastError ? { lastError: s.lastError } : {}),
      })),
    );
    const failing = all.filter((s) => s.failing > 0);
    return {
      status: t.connected === t.nodes && failing.length === 0 ? 'ok' : 'degraded',
      nodes: t.nodes,
      connected: t.connected,
      uptimeS: Math.round((Date.now() - this.runtime.startedAt) / 1000),
      outbox: {
        events: t.backlogEvents,
        readings: t.backlogReadings,
        bytes: t.backlogBytes,
        oldestAgeMs: t.oldestAt === undefined ? 0 : Date.now() - t.oldestAt,
        dropped: { events: t.droppedEvents, readings: t.droppedReadings },
      },
      ruleSet: this.runtime.nodes[0]?.decisions.ruleSet,
      sensors: t.nodes === 1 ? all : failing.slice(0, 100),
      failingSensors: failing.length,
    };
  }
}
