import { DEVICE_ID_PATTERN, SENSOR_KIND_ID_PATTERN, type SensorKind } from '@iotmon/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';

export class ReadingsQueryDto {
  @ApiPropertyOptional({ description: 'Only readings of this device', example: 'edge-1' })
  @IsOptional()
  @Matches(DEVICE_ID_PATTERN, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  deviceId?: string;

  @ApiPropertyOptional({
    description: 'Only readings of this sensor kind',
    pattern: SENSOR_KIND_ID_PATTERN.source,
  })
  @IsOptional()
  @Matches(SENSOR_KIND_ID_PATTERN, {
    message: 'must be a sensor kind id (a-z, 0-9 and _, see GET /sensor-kinds)',
  })
  sensor?: SensorKind;

  @ApiPropertyOptional({
    description: 'From this time on (ISO-8601, inclusive)',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'Before this time (ISO-8601, exclusive)',
    example: '2026-01-02T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    description: 'How many readings, newest first (1-1000)',
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

  @ApiPropertyOptional({ description: 'The x-next-cursor header of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'must be an x-next-cursor value of this route' })
  cursor?: string;
}
