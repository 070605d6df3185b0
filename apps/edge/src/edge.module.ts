import { Module, type DynamicModule } from '@nestjs/common';
import { EDGE_CONFIG, type EdgeConfig } from './config/edge-config';
import { EdgeHealth } from './http/edge-health';
import { EdgeMetrics } from './http/edge-metrics';
import { HealthController } from './http/health.controller';
import { MetricsController } from './http/metrics.controller';
import { EdgeRuntime } from './runtime/edge-runtime.service';

@Module({})
export class EdgeModule {
  static register(config: EdgeConfig): DynamicModule {
    return {
      module: EdgeModule,
      controllers: [HealthController, MetricsController],
      providers: [{ provide: EDGE_CONFIG, useValue: config }, EdgeRuntime, EdgeMetrics, EdgeHealth],
    };
  }
}
