import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { ReadingsModule } from '../readings/readings.module';
import { MqttIngestionService } from './mqtt-ingestion.service';

@Module({ imports: [ReadingsModule, DevicesModule], providers: [MqttIngestionService] })
export class IngestionModule {}
