import { DEVICE_ID_PATTERN, SENSOR_KIND_ID_PATTERN, type SensorKind } from '@iotmon/domain';
import {
  DEVICE_SORTS,
  DEVICE_STATUSES,
  type DeviceSort,
  type DeviceStatusValue,
} from '@iotmon/persistence';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export class ListDevicesDto {
  @ApiPropertyOptional({
    description: 'Only devices with this sensor kind',
    pattern: SENSOR_KIND_ID_PATTERN.source,
  })
  @IsOptional()
  @Matches(SENSOR_KIND_ID_PATTERN, {
    message: 'must be a sensor kind id (a-z, 0-9 and _, see GET /sensor-kinds)',
  })
  kind?: SensorKind;

  @ApiPropertyOptional({
    description: 'Only devices at this location (exact match)',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  location?: string;

  @ApiPropertyOptional({
    description: 'Only devices with this derived status',
    enum: DEVICE_STATUSES,
  })
  @IsOptional()
  @IsIn(DEVICE_STATUSES)
  status?: DeviceStatusValue;

  @ApiPropertyOptional({
    description: 'Sort field; a leading - sorts descending',
    enum: DEVICE_SORTS,
    default: 'id',
  })
  @IsOptional()
  @IsIn(DEVICE_SORTS)
  sort: DeviceSort = 'id';

  @ApiPropertyOptional({
    description: 'Page size (1-1000)',
    minimum: 1,
    maximum: 1000,
    default: 100,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({
    description: 'Rows to skip (0-1,000,000)',
    minimum: 0,
    maximum: 1_000_000,
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset: number = 0;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (sort id or -id)' })
  @IsOptional()
  @Matches(DEVICE_ID_PATTERN, { message: 'must be a nextCursor returned by this route' })
  cursor?: string;
}
