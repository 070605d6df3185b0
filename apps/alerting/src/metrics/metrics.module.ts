import { Global, Module } from '@nestjs/common';
import { AlertingMetrics, alertingMetricProviders } from './alerting-metrics';

@Global()
@Module({
  providers: [...alertingMetricProviders, AlertingMetrics],
  exports: [AlertingMetrics],
})
export class MetricsModule {}
