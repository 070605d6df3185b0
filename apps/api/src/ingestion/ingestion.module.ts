import { Module } from '@nestjs/common';
import { ReadingsModule } from '../readings/readings.module';
import { MqttIngestionService } from './mqtt-ingestion.service';

@Module({ imports: [ReadingsModule], providers: [MqttIngestionService] })
export class IngestionModule {}
