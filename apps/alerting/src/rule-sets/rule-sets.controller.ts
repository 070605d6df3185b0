import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
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
  update(@Param() p: RuleSetIdParam, @Body() body: UpdateRuleSetDto): Promise<RuleSetView> {
    return this.ruleSets.update(p.id, body);
  }

  /** Sets the devices and sensor kinds this rule set applies to; republishes. */
  @Put(':id/assignments')
  assign(@Param() p: RuleSetIdParam, @Body() body: AssignRuleSetDto): Promise<RuleSetView> {
    return this.ruleSets.assign(p.id, body);
  }
}
