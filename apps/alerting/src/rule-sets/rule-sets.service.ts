/** Rule sets over REST: create, list, get, update, assign; every change is republished. */
import { PgConnections, type Sql } from '@iotmon/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { defaultRuleSet, validateRuleSet } from '@iotmon/constraints';
import type { RuleSet } from '@iotmon/domain';
import { AppError } from '@iotmon/server-kit';
import type { AssignRuleSetDto, CreateRuleSetDto, UpdateRuleSetDto } from './dto/rule-set.dto';
import { effectiveRuleSet } from './effective-rule-set';
import { RuleSetCatalog } from './rule-set-catalog.service';

export interface RuleSetView {
  id: string;
  name: string;
  revision: number;
  ruleSet: RuleSet;
  devices: string[];
  sensors: string[];
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  name: string;
  revision: number;
  body: RuleSet;
  created_at: Date;
  updated_at: Date;
  devices: string[];
  sensors: string[];
}

const SELECT = `
  SELECT r.id::text, r.name, r.revision, r.body, r.created_at, r.updated_at,
         coalesce(array_agg(a.target ORDER BY a.target) FILTER (WHERE a.target_kind = 'device'), '{}') AS devices,
         coalesce(array_agg(a.target ORDER BY a.target) FILTER (WHERE a.target_kind = 'sensor'), '{}') AS sensors
    FROM rule_sets r LEFT JOIN rule_set_assignments a ON a.rule_set_id = r.id`;

function toView(r: Row): RuleSetView {
  return {
    id: r.id,
    name: r.name,
    revision: r.revision,
    ruleSet: r.body,
    devices: r.devices,
    sensors: r.sensors,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function validated(json: unknown): RuleSet {
  const result = validateRuleSet(json);
  if (!result.ok) {
    throw AppError.validation(
      result.errors.map((e) => ({ field: `ruleSet.${e.path}`, reason: e.message })),
    );
  }
  return result.ruleSet;
}

@Injectable()
export class RuleSetsService {
  constructor(
    @Inject(PgConnections) private readonly pg: PgConnections,
    private readonly catalog: RuleSetCatalog,
  ) {}

  async create(dto: CreateRuleSetDto): Promise<RuleSetView> {
    const body = validated(dto.ruleSet);
    const rows = await this.pg
      .rows<{ id: string }>(
        `INSERT INTO rule_sets (name, body) VALUES ($1, $2) RETURNING id::text`,
        [dto.name, body],
      )
      .catch((e: Error) => {
        if (/rule_sets_name_key|duplicate key/.test(e.message)) {
          throw AppError.conflict(`a rule set named ${dto.name} exists`);
        }
        throw e;
      });
    return this.get(rows[0].id);
  }

  async list(): Promise<RuleSetView[]> {
    const rows = await this.pg.rows<Row>(`${SELECT} GROUP BY r.id ORDER BY r.id`);
    return rows.map(toView);
  }

  async get(id: string): Promise<RuleSetView> {
    const [row] = await this.pg.rows<Row>(`${SELECT} WHERE r.id = $1 GROUP BY r.id`, [id]);
    if (!row) throw AppError.notFound(`rule set ${id}`);
    return toView(row);
  }

  async update(id: string, dto: UpdateRuleSetDto): Promise<RuleSetView> {
    const body = validated(dto.ruleSet);
    await this.pg.transaction(async (m) => {
      const rows = await m.rows(
        `UPDATE rule_sets SET body = $2, name = coalesce($3, name), revision = revision + 1,
                updated_at = now() WHERE id = $1 RETURNING 1`,
        [id, body, dto.name ?? null],
      );
      if (rows.length === 0) throw AppError.notFound(`rule set ${id}`);
      await this.checkCombinations(m);
    });
    await this.catalog.reload();
    return this.get(id);
  }

  /** Replaces where this set applies; a target assigned to another set moves to this one. */
  async assign(id: string, dto: AssignRuleSetDto): Promise<RuleSetView> {
    await this.pg.transaction(async (m) => {
      const found = await m.rows('SELECT 1 FROM rule_sets WHERE id = $1 FOR UPDATE', [id]);
      if (found.length === 0) throw AppError.notFound(`rule set ${id}`);
      await m.rows('DELETE FROM rule_set_assignments WHERE rule_set_id = $1', [id]);
      const kinds = [
        ...(dto.devices ?? []).map(() => 'device'),
        ...(dto.sensors ?? []).map(() => 'sensor'),
      ];
      const targets = [...(dto.devices ?? []), ...(dto.sensors ?? [])];
      await m.rows(
        `INSERT INTO rule_set_assignments (target_kind, target, rule_set_id)
         SELECT k, t, $3 FROM unnest($1::text[], $2::text[]) AS x(k, t)
         ON CONFLICT (target_kind, target) DO UPDATE
           SET rule_set_id = EXCLUDED.rule_set_id, assigned_at = now()`,
        [kinds, targets, id],
      );
      await this.checkCombinations(m);
    });
    await this.catalog.reload();
    return this.get(id);
  }

  /**
   * Per-sensor assignments merge rules of several sets into one node's set: refuse a change
   * that makes such a merge invalid (say, one rule id for two sensor kinds).
   */
  private async checkCombinations(m: Sql): Promise<void> {
    const sets = await m.rows<{ id: string; name: string; body: RuleSet }>(
      'SELECT id::text, name, body FROM rule_sets',
    );
    const rows = await m.rows<{ target_kind: string; target: string; rule_set_id: string }>(
      'SELECT target_kind, target, rule_set_id::text FROM rule_set_assignments',
    );
    const byId = new Map(sets.map((s) => [s.id, s]));
    const sensors = new Map(
      rows.filter((r) => r.target_kind === 'sensor').map((r) => [r.target, r.rule_set_id]),
    );
    const merged = effectiveRuleSet('', byId, { devices: new Map(), sensors }, defaultRuleSet());
    const result = validateRuleSet(merged.ruleSet);
    if (!result.ok) {
      throw AppError.conflict(
        `the sets assigned to sensor kinds do not combine: ${result.errors
          .map((e) => `${e.path} ${e.message}`)
          .join('; ')}`,
      );
    }
  }
}
