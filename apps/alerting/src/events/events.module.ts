import { Module } from '@nestjs/common';
import { CommitAckPublisher, MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { AlarmsModule } from '../alarms/alarms.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { EdgeVerdicts } from './edge-verdicts';
import { EventsConsumerService } from './events-consumer.service';
import { RawReadingsSource } from './raw-readings.source';
import { TransitionSink } from './transition-sink.service';

@Module({
  imports: [AlarmsModule, NotificationsModule],
  providers: [
    EventsConsumerService,
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
