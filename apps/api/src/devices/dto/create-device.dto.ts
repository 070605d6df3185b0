import { DEVICE_ID_PATTERN, SENSOR_KIND_ID_PATTERN, type SensorKind } from '@iotmon/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';

export class CreateDeviceDto {
  @ApiProperty({
    description: 'Device id: 1-64 characters of A-Z a-z 0-9 _ . -',
    example: 'edge-7',
  })
  @IsString()
  @Matches(DEVICE_ID_PATTERN, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  id!: string;

  @ApiProperty({
    description: 'Human-readable name',
    example: 'Lab 3 ceiling node',
    maxLength: 200,
  })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    description: 'Where the device is',
    example: 'building-a/floor-3',
    maxLength: 200,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  location?: string | null;

  @ApiPropertyOptional({
    description: 'Sensor kinds the device has',
    pattern: SENSOR_KIND_ID_PATTERN.source,
    isArray: true,
    example: ['temperature', 'humidity'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1024)
  @ArrayUnique()
  @Matches(SENSOR_KIND_ID_PATTERN, {
    each: true,
    message: 'each entry must be a sensor kind id (a-z, 0-9 and _, see GET /sensor-kinds)',
  })
  sensors?: SensorKind[];

  @ApiPropertyOptional({
    description: 'Free metadata (JSON object, at most 8 KB)',
    example: { firmware: '1.4.2' },
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}
