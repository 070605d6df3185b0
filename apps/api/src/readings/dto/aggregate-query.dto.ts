import { DEVICE_ID_PATTERN, SENSOR_KIND_ID_PATTERN, type SensorKind } from '@iotmon/domain';
import { AGGREGATE_FNS, type AggregateFn } from '@iotmon/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';

export const BUCKETS = { '10s': 10, '1m': 60, '1h': 3_600, '1d': 86_400 } as const;
export type BucketName = keyof typeof BUCKETS;

export class AggregateQueryDto {
  @ApiPropertyOptional({
    description: 'Only this device (all devices when absent)',
    example: 'edge-1',
  })
  @IsOptional()
  @Matches(DEVICE_ID_PATTERN, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  deviceId?: string;

  @ApiProperty({ description: 'Sensor kind to aggregate', pattern: SENSOR_KIND_ID_PATTERN.source })
  @Matches(SENSOR_KIND_ID_PATTERN, {
    message: 'must be a sensor kind id (a-z, 0-9 and _, see GET /sensor-kinds)',
  })
  sensor!: SensorKind;

  @ApiProperty({ description: 'Bucket width', enum: Object.keys(BUCKETS) })
  @IsIn(Object.keys(BUCKETS))
  bucket!: BucketName;

  @ApiPropertyOptional({ description: 'Aggregate per bucket', enum: AGGREGATE_FNS, default: 'avg' })
  @IsOptional()
  @IsIn(AGGREGATE_FNS)
  fn: AggregateFn = 'avg';

  @ApiProperty({
    description: 'Range start (ISO-8601, inclusive)',
    example: '2026-01-01T00:00:00Z',
  })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ description: 'Range end (ISO-8601, exclusive)', example: '2026-01-02T00:00:00Z' })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiPropertyOptional({
    description: 'At most this many points: the bucket is widened (a multiple of `bucket`) to fit',
    minimum: 1,
    maximum: 10_000,
    default: 1_000,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  maxPoints: number = 1_000;
}
