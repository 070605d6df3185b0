import { Controller, Get, Query } from '@nestjs/common';
import type { Reading } from '@iotmon/domain';
import { ReadingsQueryDto } from './dto/readings-query.dto';
import { ReadingsService } from './readings.service';

@Controller('readings')
export class ReadingsController {
  constructor(private readonly readings: ReadingsService) {}

  /** Latest readings, newest first, optionally of one device and sensor. */
  @Get()
  list(@Query() query: ReadingsQueryDto): Promise<Reading[]> {
    return this.readings.latest(query);
  }
}
