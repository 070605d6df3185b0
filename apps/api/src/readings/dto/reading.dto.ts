import { SENSOR_KIND_ID_PATTERN } from '@iotmon/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One reading as POSTed and returned (validated by the compiled validateReading of libs/domain). */
export class ReadingDto {
  @ApiProperty({ example: 'edge-7', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' })
  deviceId!: string;

  @ApiProperty({ pattern: SENSOR_KIND_ID_PATTERN.source, example: 'temperature' })
  sensor!: string;

  @ApiProperty({ description: "Finite, within the sensor kind's physical range", example: 21.5 })
  value!: number;

  @ApiProperty({
    description: 'Epoch milliseconds (or an ISO-8601 string on input), 2000-2100',
    example: 1767268800000,
  })
  ts!: number;

  @ApiPropertyOptional({
    description: 'Per-sensor sequence number; part of the idempotency key',
    example: 42,
  })
  seq?: number;

  @ApiPropertyOptional({ description: 'Replayed after an outage', example: false })
  late?: boolean;
}

export class IngestResultDto {
  @ApiProperty({
    description: 'Readings accepted and committed (re-sent ones are not duplicated)',
    example: 500,
  })
  accepted!: number;
}

export class AggregatePointDto {
  @ApiProperty({ description: 'Bucket start, epoch ms', example: 1767268800000 })
  ts!: number;

  @ApiProperty({ example: 21.4 })
  value!: number;

  @ApiProperty({ description: 'Readings in the bucket', example: 6 })
  count!: number;
}

export class AggregateResultDto {
  @ApiProperty({
    description: 'Bucket width actually used, seconds (wider than asked when thinned to maxPoints)',
    example: 60,
  })
  bucketSeconds!: number;

  @ApiProperty({ enum: ['avg', 'min', 'max', 'count', 'last'], example: 'avg' })
  fn!: string;

  @ApiProperty({ type: [AggregatePointDto] })
  points!: AggregatePointDto[];
}
