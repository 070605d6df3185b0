import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { EdgeVerdicts } from './edge-verdicts';
import { EventsConsumerService } from './events-consumer.service';
import { RawReadingsSource } from './raw-readings.source';
import { TransitionSink } from './transition-sink.service';

@Module({
  imports: [AlarmsModule, NotificationsModule],
  providers: [EventsConsumerService, TransitionSink, EdgeVerdicts, RawReadingsSource],
  exports: [TransitionSink, EdgeVerdicts, RawReadingsSource],
})
export class EventsModule {}
