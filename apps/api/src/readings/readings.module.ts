import { Module } from '@nestjs/common';
import { ReadingsController } from './readings.controller';
import { ReadingsService } from './readings.service';
import { ReadingsWriter } from './readings-writer';

@Module({
  controllers: [ReadingsController],
  providers: [ReadingsService, ReadingsWriter],
  exports: [ReadingsWriter],
})
export class ReadingsModule {}
