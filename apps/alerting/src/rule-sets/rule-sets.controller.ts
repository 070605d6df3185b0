import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { Access, Audit } from '@iotmon/server-kit';
import {
  AssignRuleSetDto,
  CreateRuleSetDto,
  RuleSetIdParam,
  UpdateRuleSetDto,
} from './dto/rule-set.dto';
import { RuleSetsService, type RuleSetView } from './rule-sets.service';

@Controller('rule-sets')
export class RuleSetsController {
  constructor(private readonly ruleSets: RuleSetsService) {}

  /** Stores a validated rule set (400 names the bad path, e.g. `ruleSet.rules[0].value`). */
  @Post()
  @Access('admin')
  @Audit('rule-set.create', {
    target: (_req, r) => (r as RuleSetView | undefined)?.id,
    detail: (req) => ({ name: (req.body as CreateRuleSetDto).name }),
  })
  create(@Body() body: CreateRuleSetDto): Promise<RuleSetView> {
    return this.ruleSets.create(body);
  }

  @Get()
  list(): Promise<RuleSetView[]> {
    return this.ruleSets.list();
  }

  @Get(':id')
  get(@Param() p: RuleSetIdParam): Promise<RuleSetView> {
    return this.ruleSets.get(p.id);
  }

  /** Replaces the rules (revision + 1) and republishes them to the nodes that use them. */
  @Put(':id')
  @Access('admin')
  @Audit('rule-set.update')
  update(@Param() p: RuleSetIdParam, @Body() body: UpdateRuleSetDto): Promise<RuleSetView> {
    return this.ruleSets.update(p.id, body);
  }

  /** Sets the devices and sensor kinds this rule set applies to; republishes. */
  @Put(':id/assignments')
  @Access('admin')
  @Audit('rule-set.assign', { detail: (req) => req.body as Record<string, unknown> })
  assign(@Param() p: RuleSetIdParam, @Body() body: AssignRuleSetDto): Promise<RuleSetView> {
    return this.ruleSets.assign(p.id, body);
  }
}
