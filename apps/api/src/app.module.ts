import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MqttModule } from '@iotmon/messaging';
import { dataSourceOptions } from '@iotmon/persistence';
import { API_CONFIG, type ApiConfig } from './config';
import { HealthModule } from './health/health.module';
import { IngestionModule } from './ingestion/ingestion.module';
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
        ReadingsModule,
        HealthModule,
        ...(config.ingestMqtt ? [IngestionModule] : []),
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
          }),
        },
      ],
    };
  }
}
