/**
 * The server's rule sets and assignments, cached in memory and reloaded on local changes and
 * periodically (other replicas' changes). Publishes each node's effective rule set on its
 * retained config topic when it changes; nodes with nothing assigned keep their own rules.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { defaultRuleSet } from '@iotmon/constraints';
import { topics, type RuleSet } from '@iotmon/domain';
import { MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { PgConnections } from '@iotmon/persistence';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { effectiveRuleSet, type Assignments, type Resolved } from './effective-rule-set';

export interface StoredRuleSet {
  id: string;
  name: string;
  revision: number;
  body: RuleSet;
}

type Listener = () => void;

@Injectable()
export class RuleSetCatalog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(RuleSetCatalog.name);
  private readonly defaults = defaultRuleSet();
  private sets = new Map<string, StoredRuleSet>();
  private assignments: Assignments = { devices: new Map(), sensors: new Map() };
  /** Devices this replica knows of (assigned, in the devices table, or seen on the broker). */
  private readonly devices = new Set<string>();
  /** What this replica last published per device (the retained payload text). */
  private readonly published = new Map<string, string>();
  private readonly listeners: Listener[] = [];
  private timer?: NodeJS.Timeout;
  private reloading?: Promise<void>;
  private generation = 0;

  constructor(
    private readonly pg: PgConnections,
    @Inject(MQTT_CLIENT) private readonly mqtt: MqttClient,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
  ) {}

  /** Bumped on every reload that changed something; evaluators key their caches on it. */
  get version(): number {
    return this.generation;
  }

  onChange(fn: Listener): void {
    this.listeners.push(fn);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reload().catch((e: Error) =>
      this.log.error(`loading rule sets failed: ${e.message}`),
    );
    this.timer = setInterval(
      () => void this.reload().catch(() => undefined),
      this.config.ruleReloadMs,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  resolve(deviceId: string): Resolved {
    return effectiveRuleSet(deviceId, this.sets, this.assignments, this.defaults);
  }

  /** Registers a device seen on the broker; publishes its rules if any are assigned. */
  observe(deviceId: string): void {
    if (this.devices.has(deviceId)) return;
    this.devices.add(deviceId);
    this.publishFor(deviceId);
  }

  /** Re-reads sets and assignments; publishes what changed. Concurrent calls share one run. */
  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async load(): Promise<void> {
    const [sets, assigned, known] = await Promise.all([
      this.pg.rows<{ id: string; name: string; revision: number; body: RuleSet }>(
        'SELECT id::text, name, revision, body FROM rule_sets',
        [],
      ),
      this.pg.rows<{ target_kind: string; target: string; rule_set_id: string }>(
        'SELECT target_kind, target, rule_set_id::text FROM rule_set_assignments',
        [],
      ),
      this.pg.rows<{ id: string }>('SELECT id FROM devices', []).catch(() => []),
    ]);
    const before = this.fingerprint();
    this.sets = new Map(sets.map((s) => [s.id, s]));
    const devices = new Map<string, string>();
    const sensors = new Map<string, string>();
    for (const a of assigned)
      (a.target_kind === 'device' ? devices : sensors).set(a.target, a.rule_set_id);
    this.assignments = { devices, sensors };
    for (const d of devices.keys()) this.devices.add(d);
    for (const d of known) this.devices.add(d.id);
    if (this.fingerprint() === before) return;
    this.generation++;
    for (const d of this.devices) this.publishFor(d);
    for (const fn of this.listeners) fn();
  }

  private fingerprint(): string {
    return JSON.stringify([
      [...this.sets.values()].map((s) => [s.id, s.revision]),
      [...this.assignments.devices],
      [...this.assignments.sensors],
    ]);
  }

  private publishFor(deviceId: string): void {
    const r = this.resolve(deviceId);
    // A node that never had anything assigned keeps its local rules; one that lost its
    // assignment gets the defaults back.
    if (!r.assigned && !this.published.has(deviceId)) return;
    const text = JSON.stringify(r.ruleSet);
    if (this.published.get(deviceId) === text) return;
    this.published.set(deviceId, text);
    this.mqtt.publish(topics.config(deviceId), text, { qos: 1, retain: true }, (err) => {
      if (err) this.log.error(`publishing rules for ${deviceId} failed: ${err.message}`);
    });
  }
}
