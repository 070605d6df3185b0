import { Module } from '@nestjs/common';
import { CommitAckPublisher, MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { DevicesModule } from '../devices/devices.module';
import { ReadingsModule } from '../readings/readings.module';
import { MqttIngestionService } from './mqtt-ingestion.service';

@Module({
  imports: [ReadingsModule, DevicesModule],
  providers: [
    MqttIngestionService,
    {
      provide: CommitAckPublisher,
      inject: [MQTT_CLIENT],
      useFactory: (client: MqttClient) => new CommitAckPublisher(client),
    },
  ],
})
export class IngestionModule {}
