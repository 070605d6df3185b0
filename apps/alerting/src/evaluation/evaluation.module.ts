import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { ServerEvaluator } from './server-evaluator.service';

@Module({
  imports: [EventsModule, RuleSetsModule],
  providers: [ServerEvaluator],
})
export class EvaluationModule {}
