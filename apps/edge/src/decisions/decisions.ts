/**
 * Local decisions: every reading goes through the shared constraint evaluator
 * (@iotmon/constraints); raised and cleared transitions come out as ConstraintEvents. Rule
 * sets arriving on the config topic are validated and swapped in without losing the state of
 * unchanged rules; an empty config means "back to the built-in defaults". A config may carry
 * the sensor-kinds catalogue (`kinds`): its rules are checked against it, and the node samples
 * and evaluates the kinds it lists.
 */
import {
  createEvaluator,
  defaultRuleSet,
  validateRuleSet,
  type Evaluator,
} from '@iotmon/constraints';
import {
  BUILT_IN_CATALOGUE,
  decodeWireKinds,
  type ConstraintEvent,
  type Reading,
  type RuleSet,
  type SensorCatalogue,
} from '@iotmon/domain';

export type EventSink = (event: ConstraintEvent) => void;

export type ApplyResult =
  | {
      ok: true;
      name: string;
      kept: number;
      fresh: number;
      cleared: number;
      /** The catalogue the rules now run with. */
      kinds: SensorCatalogue;
    }
  | { ok: false; error: string };

export interface RuleSetInfo {
  name: string;
  source: 'default' | 'config';
  appliedAt: number;
  rules: number;
}

export class Decisions {
  private evaluator: Evaluator;
  private info: RuleSetInfo;
  private catalogue: SensorCatalogue = BUILT_IN_CATALOGUE;
  rejectedConfigs = 0;

  constructor(
    private readonly sink: EventSink,
    ruleSet: RuleSet = defaultRuleSet(),
    private readonly now: () => number = Date.now,
  ) {
    this.evaluator = createEvaluator(ruleSet);
    this.info = this.describe(ruleSet, 'default');
  }

  get ruleSet(): RuleSetInfo {
    return this.info;
  }

  /** Evaluates one reading and emits its transitions. Never throws on bad values. */
  decide(reading: Reading): void {
    const n = this.evaluator.evaluate(reading);
    for (let i = 0; i < n; i++) this.sink(this.evaluator.toEvent(i));
  }

  /** Clock tick for staleness ("no data") rules. */
  tick(now: number): void {
    const n = this.evaluator.tick(now);
    for (let i = 0; i < n; i++) this.sink(this.evaluator.toEvent(i));
  }

  /** Applies a config-topic payload: JSON rule set, or empty for the built-in defaults. */
  applyPayload(payload: string | Uint8Array): ApplyResult {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
    if (text.trim() === '') return this.apply(defaultRuleSet(), BUILT_IN_CATALOGUE, 'default');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      this.rejectedConfigs++;
      return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
    }
    let kinds = BUILT_IN_CATALOGUE;
    if (typeof json === 'object' && json !== null && 'kinds' in json) {
      const { kinds: wire, ...rest } = json as Record<string, unknown>;
      const decoded = decodeWireKinds(wire);
      if ('error' in decoded) {
        this.rejectedConfigs++;
        return { ok: false, error: decoded.error };
      }
      kinds = decoded;
      json = rest;
    }
    const checked = validateRuleSet(json, kinds.ids);
    if (!checked.ok) {
      this.rejectedConfigs++;
      return {
        ok: false,
        error: checked.errors.map((e) => `${e.path} ${e.message}`).join('; '),
      };
    }
    return this.apply(checked.ruleSet, kinds, 'config');
  }

  get kinds(): SensorCatalogue {
    return this.catalogue;
  }

  private apply(
    ruleSet: RuleSet,
    kinds: SensorCatalogue,
    source: RuleSetInfo['source'],
  ): ApplyResult {
    const result = this.evaluator.swap(ruleSet, kinds.ids);
    this.catalogue = kinds;
    this.info = this.describe(ruleSet, source);
    // Alarms raised under a rule that is gone or changed are cleared, so none stays open.
    for (const event of result.dropped) this.sink(event);
    return {
      ok: true,
      name: this.info.name,
      kept: result.kept,
      fresh: result.fresh,
      cleared: result.dropped.length,
      kinds,
    };
  }

  private describe(ruleSet: RuleSet, source: RuleSetInfo['source']): RuleSetInfo {
    return {
      name: ruleSet.name ?? (source === 'default' ? 'built-in defaults' : 'unnamed'),
      source,
      appliedAt: this.now(),
      rules: ruleSet.rules.length,
    };
  }
}
