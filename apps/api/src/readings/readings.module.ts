import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { ReadingsController } from './readings.controller';
import { ReadingsService } from './readings.service';
import { ReadingsWriter } from './readings-writer';

@Module({
  imports: [DevicesModule],
  controllers: [ReadingsController],
  providers: [ReadingsService, ReadingsWriter],
  exports: [ReadingsWriter],
})
export class ReadingsModule {}
