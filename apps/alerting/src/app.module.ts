import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MqttModule } from '@iotmon/messaging';
import { dataSourceOptions } from '@iotmon/persistence';
import { ALERTING_CONFIG, type AlertingConfig } from './config';
import { EventsConsumerService } from './events/events-consumer.service';
import { HealthModule } from './health/health.module';

@Module({})
export class AlertingModule {
  static register(config: AlertingConfig): DynamicModule {
    return {
      module: AlertingModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl, 5)),
        MqttModule.forRoot({
          clientId: `alerting-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
          settings: config.mqtt,
        }),
        HealthModule,
      ],
      providers: [
        { provide: ALERTING_CONFIG, useValue: config },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
          }),
        },
        EventsConsumerService,
      ],
    };
  }
}
