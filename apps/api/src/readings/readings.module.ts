import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { ReadingsController } from './readings.controller';
import { ReadingsService } from './readings.service';
import { ReadingsWriter } from './readings-writer';
import { StoredReadingsPublisher } from './stored-readings.publisher';

@Module({
  imports: [DevicesModule],
  controllers: [ReadingsController],
  providers: [ReadingsService, ReadingsWriter, StoredReadingsPublisher],
  exports: [ReadingsWriter],
})
export class ReadingsModule {}
