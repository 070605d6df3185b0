import { DEVICE_ID_PATTERN, SENSOR_KINDS, type SensorKind } from '@iotmon/domain';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class ReadingsQueryDto {
  /** Only readings of this device. */
  @IsOptional()
  @Matches(DEVICE_ID_PATTERN, { message: 'deviceId must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  deviceId?: string;

  /** Only readings of this sensor kind. */
  @IsOptional()
  @IsIn(SENSOR_KINDS)
  sensor?: SensorKind;

  /** How many readings, newest first (1-1000). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;
}
