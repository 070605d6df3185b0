import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { consumerSessionOptions, MqttModule } from '@iotmon/messaging';
import {
  dataSourceOptions,
  LiveSensorCatalogue,
  liveSensorCatalogueProvider,
  pgConnectionsProvider,
  PgConnections,
} from '@iotmon/persistence';
import { AuthModule, ServerKitModule } from '@iotmon/server-kit';
import { API_CONFIG, type ApiConfig } from './config';
import { DevicesModule } from './devices/devices.module';
import { GinModule } from './gin/gin.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { MetricsModule } from './metrics/metrics.module';
import { PartitionsModule } from './partitions/partitions.module';
import { ReadingsModule } from './readings/readings.module';
import { SensorKindsModule } from './sensor-kinds/sensor-kinds.module';

@Module({})
export class AppModule {
  static register(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl, config.dbPoolSize)),
        // A persistent session: what arrives while the api restarts waits in the broker.
        MqttModule.forRoot({
          clientId: config.mqttSession.clientId,
          settings: config.mqtt,
          client: consumerSessionOptions(config.mqttSession, Boolean(config.mqtt.sharedGroup)),
          consumer: true,
        }),
        ServerKitModule.forRoot({
          config: { token: API_CONFIG, value: config },
          // PostgreSQL only: while just the broker is down REST still stores readings, so an
          // orchestrator must not take REST away (the broker's state is in the logs/metrics).
          readiness: ['database'],
        }),
        MetricsModule,
        AuthModule.forRoot(config.auth),
        SensorKindsModule,
        DevicesModule,
        ReadingsModule,
        GinModule,
        PartitionsModule,
        ...(config.ingestMqtt ? [IngestionModule] : []),
      ],
      providers: [pgConnectionsProvider, liveSensorCatalogueProvider],
      exports: [PgConnections, LiveSensorCatalogue],
    };
  }
}
