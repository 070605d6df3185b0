import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MqttModule } from '@iotmon/messaging';
import { dataSourceOptions } from '@iotmon/persistence';
import { AuthModule } from '@iotmon/server-kit';
import { AlarmsModule } from './alarms/alarms.module';
import { AlertingErrorFilter } from './common/error.filter';
import { PgPool } from './common/pg-pool';
import { ALERTING_CONFIG, type AlertingConfig } from './config';
import { DashboardModule } from './dashboard/dashboard.module';
import { EvaluationModule } from './evaluation/evaluation.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
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
        MqttModule.forRoot({
          clientId: `alerting-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
          settings: config.mqtt,
        }),
        AuthModule.forRoot(config.auth),
        MetricsModule,
        HealthModule,
        NotificationsModule,
        AlarmsModule,
        EventsModule,
        LiveModule,
        RuleSetsModule,
        EvaluationModule,
        DashboardModule,
      ],
      providers: [
        { provide: ALERTING_CONFIG, useValue: config },
        PgPool,
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
          }),
        },
        { provide: APP_FILTER, useClass: AlertingErrorFilter },
      ],
      exports: [ALERTING_CONFIG, PgPool],
    };
  }
}
