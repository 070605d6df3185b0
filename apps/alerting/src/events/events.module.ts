import { type DynamicModule, Module } from '@nestjs/common';
import { CommitAckPublisher, MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { AlarmsModule } from '../alarms/alarms.module';
import type { AlertingConfig } from '../config';
import { EdgeVerdicts } from './edge-verdicts';
import { EventsConsumer } from './events-consumer.controller';
import { RawReadingsConsumer } from './raw-readings.consumer';
import { RawReadingsSource } from './raw-readings.source';
import { TransitionSink } from './transition-sink.service';

@Module({
  imports: [AlarmsModule],
  providers: [
    TransitionSink,
    EdgeVerdicts,
    RawReadingsSource,
    {
      provide: CommitAckPublisher,
      inject: [MQTT_CLIENT],
      useFactory: (client: MqttClient) => new CommitAckPublisher(client),
    },
  ],
  exports: [TransitionSink, EdgeVerdicts, RawReadingsSource],
})
export class EventsModule {
  /** The readings are subscribed only when something here wants them. */
  static register(config: AlertingConfig): DynamicModule {
    const readings = config.liveReadings || config.serverEvaluation;
    return {
      module: EventsModule,
      controllers: [EventsConsumer, ...(readings ? [RawReadingsConsumer] : [])],
    };
  }
}
