import { Module } from '@nestjs/common';
import { CommitAckPublisher, MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { DevicesModule } from '../devices/devices.module';
import { ReadingsModule } from '../readings/readings.module';
import { MqttIngestionController } from './mqtt-ingestion.controller';

@Module({
  imports: [ReadingsModule, DevicesModule],
  controllers: [MqttIngestionController],
  providers: [
    {
      provide: CommitAckPublisher,
      inject: [MQTT_CLIENT],
      useFactory: (client: MqttClient) => new CommitAckPublisher(client),
    },
  ],
})
export class IngestionModule {}
