import { Module, type DynamicModule } from '@nestjs/common';
import { ServerKitModule } from '@iotmon/server-kit';
import { EDGE_CONFIG, type EdgeConfig } from './config/edge-config';
import { EdgeHealth } from './http/edge-health';
import { EdgeMetrics, edgeMetricProviders } from './http/edge-metrics';
import { HealthController } from './http/health.controller';
import { NodeInboxController } from './node/node-inbox.controller';
import { EdgeRuntime } from './runtime/edge-runtime.service';

@Module({})
export class EdgeModule {
  static register(config: EdgeConfig): DynamicModule {
    return {
      module: EdgeModule,
      imports: [
        // /health is the edge's own report (it buffers while the broker is away: still live).
        ServerKitModule.forRoot({
          config: { token: EDGE_CONFIG, value: config },
          readiness: [],
          healthRoot: false,
        }),
      ],
      controllers: [HealthController, NodeInboxController],
      providers: [EdgeRuntime, ...edgeMetricProviders, EdgeMetrics, EdgeHealth],
    };
  }
}
