import { Global, Module } from '@nestjs/common';
import { AlertingMetrics } from './alerting-metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [AlertingMetrics],
  exports: [AlertingMetrics],
})
export class MetricsModule {}
