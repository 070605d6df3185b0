import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MqttModule } from '@iotmon/messaging';
import { dataSourceOptions } from '@iotmon/persistence';
import { AuthModule, ServerKitModule } from '@iotmon/server-kit';
import { API_CONFIG, type ApiConfig } from './config';
import { DevicesModule } from './devices/devices.module';
import { GinModule } from './gin/gin.module';
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
        ServerKitModule.forRoot({
          config: { token: API_CONFIG, value: config },
          readiness: ['database', 'mqtt'],
        }),
        MetricsModule,
        AuthModule.forRoot(config.auth),
        DevicesModule,
        ReadingsModule,
        GinModule,
        PartitionsModule,
        ...(config.ingestMqtt ? [IngestionModule] : []),
      ],
    };
  }
}
