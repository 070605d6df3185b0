import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MqttModule } from '@iotmon/messaging';
import { dataSourceOptions } from '@iotmon/persistence';
import { AuthModule } from '@iotmon/server-kit';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { createValidationPipe } from './common/validation';
import { API_CONFIG, type ApiConfig } from './config';
import { DevicesModule } from './devices/devices.module';
import { GinModule } from './gin/gin.module';
import { HealthModule } from './health/health.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { MetricsModule } from './metrics/metrics.module';
import { PartitionsModule } from './partitions/partitions.module';
import { ReadingsModule } from './readings/readings.module';

@Module({})
export class AppModule {
  static register(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl, config.dbPoolSize)),
        MqttModule.forRoot({
          clientId: `api-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
          settings: config.mqtt,
        }),
        {
          module: ConfigHolder,
          global: true,
          providers: [{ provide: API_CONFIG, useValue: config }],
          exports: [API_CONFIG],
        },
        MetricsModule,
        AuthModule.forRoot(config.auth),
        DevicesModule,
        ReadingsModule,
        GinModule,
        HealthModule,
        PartitionsModule,
        ...(config.ingestMqtt ? [IngestionModule] : []),
      ],
      providers: [
        { provide: APP_PIPE, useValue: createValidationPipe() },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}

/** Makes API_CONFIG injectable in every module. */
@Module({})
class ConfigHolder {}
