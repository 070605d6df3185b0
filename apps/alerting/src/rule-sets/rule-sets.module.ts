import { Module } from '@nestjs/common';
import { RuleSetCatalog } from './rule-set-catalog.service';
import { RuleSetsController } from './rule-sets.controller';
import { RuleSetsService } from './rule-sets.service';

@Module({
  controllers: [RuleSetsController],
  providers: [RuleSetCatalog, RuleSetsService],
  exports: [RuleSetCatalog],
})
export class RuleSetsModule {}
