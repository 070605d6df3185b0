/**
 * The sensor-kinds catalogue over REST: checks a kind as a whole (min < max, default rules
 * compiled against the kind, rule ids unique across the catalogue), writes it, and reloads
 * this process's copy before answering, so the next request here already sees it; other
 * processes reload on the table's NOTIFY.
 */
import { Injectable } from '@nestjs/common';
import { validateRuleSet } from '@iotmon/constraints';
import { RULE_SET_VERSION, type KindRule, type SensorKindSpec } from '@iotmon/domain';
import {
  deleteSensorKind,
  findSensorKind,
  insertSensorKind,
  listSensorKinds,
  LiveSensorCatalogue,
  PgConnections,
  sensorKindUses,
  updateSensorKind,
} from '@iotmon/persistence';
import { AppError, type FieldProblem } from '@iotmon/server-kit';
import type { CreateSensorKindDto } from './dto/create-sensor-kind.dto';
import type { UpdateSensorKindDto } from './dto/update-sensor-kind.dto';

@Injectable()
export class SensorKindsService {
  constructor(
    private readonly pg: PgConnections,
    private readonly catalogue: LiveSensorCatalogue,
  ) {}

  list(): Promise<SensorKindSpec[]> {
    return listSensorKinds(this.pg);
  }

  async get(id: string): Promise<SensorKindSpec> {
    const kind = await findSensorKind(this.pg, id);
    if (!kind) throw AppError.notFound(`sensor kind ${id}`);
    return kind;
  }

  async create(body: CreateSensorKindDto): Promise<SensorKindSpec> {
    const kind = await this.checked({
      id: body.id,
      displayName: body.displayName,
      unit: body.unit,
      min: body.min,
      max: body.max,
      decimals: body.decimals ?? 0,
      defaultRules: (body.defaultRules ?? []) as unknown as KindRule[],
    });
    const created = await insertSensorKind(this.pg, kind);
    if (!created) throw AppError.conflict(`sensor kind ${kind.id} already exists`, 'id');
    await this.catalogue.reload();
    return created;
  }

  async update(id: string, body: UpdateSensorKindDto): Promise<SensorKindSpec> {
    const current = await this.get(id);
    const kind = await this.checked({
      ...current,
      ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
    } as SensorKindSpec);
    const updated = await updateSensorKind(this.pg, kind);
    if (!updated) throw AppError.notFound(`sensor kind ${id}`);
    await this.catalogue.reload();
    return updated;
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    const uses = await sensorKindUses(this.pg, id);
    if (uses.length > 0) {
      throw AppError.conflict(`sensor kind ${id} is in use (${uses.join(', ')})`, 'id');
    }
    if (!(await deleteSensorKind(this.pg, id))) throw AppError.notFound(`sensor kind ${id}`);
    await this.catalogue.reload();
  }

  /** The kind with its default rules normalised, or a 400 naming the first bad field. */
  private async checked(kind: SensorKindSpec): Promise<SensorKindSpec> {
    if (!(kind.min < kind.max)) {
      throw AppError.invalid('max', `must be greater than min (${kind.min})`);
    }
    const problems: FieldProblem[] = [];
    kind.defaultRules.forEach((r, i) => {
      for (const key of ['sensor', 'devices']) {
        if (key in r)
          problems.push({
            field: `defaultRules[${i}].${key}`,
            reason: 'is not allowed: the kind is the sensor, defaults apply to every device',
          });
      }
    });
    if (problems.length) throw AppError.validation(problems);
    const result = validateRuleSet(
      {
        version: RULE_SET_VERSION,
        rules: kind.defaultRules.map((r) => ({ ...r, sensor: kind.id })),
      },
      [kind.id],
    );
    if (!result.ok) {
      throw AppError.validation(
        result.errors.map((e) => ({
          field: e.path.replace(/^rules/, 'defaultRules'),
          reason: e.message,
        })),
      );
    }
    const others = (await listSensorKinds(this.pg)).filter((k) => k.id !== kind.id);
    const taken = new Map(others.flatMap((k) => k.defaultRules.map((r) => [r.id, k.id])));
    kind.defaultRules.forEach((r, i) => {
      const owner = taken.get(r.id);
      if (owner) {
        problems.push({
          field: `defaultRules[${i}].id`,
          reason: `is already a default rule of sensor kind ${owner}`,
        });
      }
    });
    if (problems.length) throw AppError.validation(problems);
    const defaultRules = result.ruleSet.rules.map(({ sensor: _s, ...rule }) => rule as KindRule);
    return { ...kind, defaultRules };
  }
}
