/**
 * Subscribes RawReadingsSource to the readings (registered only when live readings or server
 * evaluation want them). QoS 0 and no shared group: each replica's live clients want every reading.
 */
import { Controller, type DynamicModule, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { topicFilters } from '@iotmon/domain';
import type { MqttMessage } from '@iotmon/server-kit';
import type { AlertingConfig } from '../config';
import { EventsModule } from './events.module';
import { RawReadingsSource } from './raw-readings.source';

@Controller()
export class RawReadingsConsumer {
  constructor(private readonly source: RawReadingsSource) {}

  @EventPattern(topicFilters.allRaw, { qos: 0 })
  raw(m: MqttMessage): void {
    this.source.deliver(m);
  }

  @EventPattern(topicFilters.stored, { qos: 0 })
  stored(m: MqttMessage): void {
    this.source.deliver(m);
  }
}

@Module({})
export class RawReadingsConsumerModule {
  /** The readings are subscribed only when live readings or server evaluation want them. */
  static register(config: AlertingConfig): DynamicModule {
    const wanted = config.liveReadings || config.serverEvaluation;
    return {
      module: RawReadingsConsumerModule,
      imports: [EventsModule],
      controllers: wanted ? [RawReadingsConsumer] : [],
    };
  }
}
