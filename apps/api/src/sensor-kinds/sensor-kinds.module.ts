import { Module } from '@nestjs/common';
import { SensorKindsController } from './sensor-kinds.controller';
import { SensorKindsService } from './sensor-kinds.service';

/** The catalogue's REST routes; the live copy validation reads is the app's (app.module.ts). */
@Module({
  controllers: [SensorKindsController],
  providers: [SensorKindsService],
})
export class SensorKindsModule {}
