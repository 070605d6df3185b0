import { Module } from '@nestjs/common';
import { CommitAckPublisher, MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { AlarmsModule } from '../alarms/alarms.module';
import { EdgeVerdicts } from './edge-verdicts';
import { EventsConsumer } from './events-consumer.controller';
import { RawReadingsSource } from './raw-readings.source';
import { TransitionSink } from './transition-sink.service';

@Module({
  imports: [AlarmsModule],
  controllers: [EventsConsumer],
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
export class EventsModule {}
