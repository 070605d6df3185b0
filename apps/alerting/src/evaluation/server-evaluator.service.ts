/**
 * Server-side decisions for devices without an edge verdict (no presence and no events on
 * the broker: plain sensors, or readings relayed without local rules). Each device is
 * evaluated with its effective rule set, compiled once per distinct set by libs/constraints;
 * transitions go through the same TransitionSink as edge events. Replicas evaluate the same
 * stream deterministically and the database drops the duplicate transitions; the staleness
 * tick is aligned to a multiple of EVALUATION_TICK_MS so both produce the same timestamps.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createEvaluator, type Evaluator } from '@iotmon/constraints';
import type { Reading } from '@iotmon/domain';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { EdgeVerdicts } from '../events/edge-verdicts';
import { RawReadingsSource } from '../events/raw-readings.source';
import { TransitionSink } from '../events/transition-sink.service';
import { RuleSetCatalog } from '../rule-sets/rule-set-catalog.service';

@Injectable()
export class ServerEvaluator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ServerEvaluator.name);
  /** Rule-set JSON -> its evaluator. */
  private readonly evaluators = new Map<string, Evaluator>();
  private readonly byDevice = new Map<string, Evaluator>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    private readonly readings: RawReadingsSource,
    private readonly verdicts: EdgeVerdicts,
    private readonly catalog: RuleSetCatalog,
    private readonly sink: TransitionSink,
  ) {}

  onApplicationBootstrap(): void {
    this.readings.listen((rs, correlationId) => {
      for (const r of rs) this.catalog.observe(r.deviceId);
      if (this.config.serverEvaluation) this.evaluate(rs, correlationId);
    });
    if (!this.config.serverEvaluation) return;
    // A device may move to another set: it is looked up again on its next reading.
    this.catalog.onChange(() => {
      this.byDevice.clear();
      this.followCatalogue();
    });
    const every = this.config.evaluationTickMs;
    this.timer = setInterval(() => this.tick(Math.floor(Date.now() / every) * every), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** A changed sensor-kinds catalogue: each evaluator keeps its state under the new kind list. */
  private followCatalogue(): void {
    const sensors = this.catalog.sensors;
    for (const [key, ev] of this.evaluators) {
      if (ev.sensors.length === sensors.length && ev.sensors.every((k, i) => k === sensors[i]))
        continue;
      try {
        ev.swap(ev.ruleSet, sensors);
      } catch {
        this.evaluators.delete(key); // its rules name a kind that is gone: rebuilt on demand
      }
    }
  }

  private evaluatorFor(deviceId: string): Evaluator | undefined {
    let ev = this.byDevice.get(deviceId);
    if (ev) return ev;
    const { ruleSet } = this.catalog.resolve(deviceId);
    const key = JSON.stringify(ruleSet);
    ev = this.evaluators.get(key);
    if (!ev) {
      try {
        ev = createEvaluator(ruleSet, { sensors: this.catalog.sensors });
      } catch (e) {
        this.log.error(`rule set for ${deviceId} does not compile: ${(e as Error).message}`);
        return undefined;
      }
      this.evaluators.set(key, ev);
    }
    this.byDevice.set(deviceId, ev);
    return ev;
  }

  private evaluate(readings: Reading[], correlationId: string): void {
    for (const r of readings) {
      if (this.verdicts.has(r.deviceId)) continue;
      const ev = this.evaluatorFor(r.deviceId);
      if (!ev) continue;
      const n = ev.evaluate(r);
      for (let i = 0; i < n; i++) void this.sink.submit(ev.toEvent(i), 'server', correlationId);
    }
  }

  private tick(now: number): void {
    for (const ev of this.evaluators.values()) {
      const n = ev.tick(now);
      for (let i = 0; i < n; i++) {
        const e = ev.toEvent(i);
        if (!this.verdicts.has(e.deviceId)) void this.sink.submit(e, 'server');
      }
    }
  }
}
