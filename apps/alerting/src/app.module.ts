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
import { AlarmsModule } from './alarms/alarms.module';
import { ALERTING_CONFIG, type AlertingConfig } from './config';
import { DashboardModule } from './dashboard/dashboard.module';
import { EvaluationModule } from './evaluation/evaluation.module';
import { EventsModule } from './events/events.module';
import { RawReadingsConsumerModule } from './events/raw-readings.consumer';
import { LiveModule } from './live/live.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { RuleSetsModule } from './rule-sets/rule-sets.module';

@Module({})
export class AlertingModule {
  static register(config: AlertingConfig): DynamicModule {
    return {
      module: AlertingModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl, config.dbPoolSize)),
        // A persistent session: events published while alerting restarts wait in the broker.
        MqttModule.forRoot({
          clientId: config.mqttSession.clientId,
          settings: config.mqtt,
          client: consumerSessionOptions(config.mqttSession, Boolean(config.mqtt.sharedGroup)),
          consumer: true,
        }),
        ServerKitModule.forRoot({
          config: { token: ALERTING_CONFIG, value: config },
          // PostgreSQL only, as the api: REST (acks, clears, the dashboard) works while the broker is away.
          readiness: ['database'],
        }),
        AuthModule.forRoot(config.auth),
        MetricsModule,
        NotificationsModule,
        AlarmsModule,
        EventsModule,
        RawReadingsConsumerModule.register(config),
        LiveModule,
        RuleSetsModule,
        EvaluationModule,
        DashboardModule,
      ],
      providers: [pgConnectionsProvider, liveSensorCatalogueProvider],
      exports: [PgConnections, LiveSensorCatalogue],
    };
  }
}
