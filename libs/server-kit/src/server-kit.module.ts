/**
 * What every Nest app shares, in one import: the error filter, the validation pipe, health
 * (terminus) and metrics (Prometheus), and its config.
 */
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { MqttHealthIndicator } from '@iotmon/messaging';
import { ConfigModule } from './config/config.module';
import { ErrorFilter } from './errors/error.filter';
import { validationPipeProvider } from './errors/validation.pipe';
import { healthController } from './health/health.controller';
import { READINESS_CHECKS, type ReadinessCheck } from './health/readiness';
import { KitMetricsModule } from './metrics/metrics.module';

export interface ServerKitOptions<C = unknown> {
  /** The app's typed config and its injection token (made global). */
  config?: { token: symbol; value: C };
  /** What /health/ready checks. */
  readiness: ReadinessCheck[];
  /** Whether GET /health is readiness too (default true; the edge has its own report there). */
  healthRoot?: boolean;
}

@Module({})
export class ServerKitModule {
  static forRoot<C>(options: ServerKitOptions<C>): DynamicModule {
    const providers: Provider[] = [
      validationPipeProvider,
      { provide: APP_FILTER, useClass: ErrorFilter },
      { provide: READINESS_CHECKS, useValue: options.readiness },
    ];
    if (options.readiness.includes('mqtt')) providers.push(MqttHealthIndicator);
    return {
      module: ServerKitModule,
      imports: [
        TerminusModule,
        KitMetricsModule,
        ...(options.config
          ? [ConfigModule.forRoot(options.config.token, options.config.value)]
          : []),
      ],
      controllers: [healthController(options.healthRoot === false ? ['ready'] : ['', 'ready'])],
      providers,
    };
  }
}
