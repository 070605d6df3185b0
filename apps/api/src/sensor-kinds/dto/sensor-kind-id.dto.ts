import { SENSOR_KIND_ID_PATTERN } from '@iotmon/domain';
import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class SensorKindIdParams {
  @ApiProperty({ description: 'Sensor kind id', example: 'co2' })
  @Matches(SENSOR_KIND_ID_PATTERN, {
    message: 'must be a-z, 0-9 and _, starting with a letter, 1-32 characters',
  })
  id!: string;
}
