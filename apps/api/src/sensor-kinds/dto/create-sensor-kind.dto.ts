import { SENSOR_KIND_ID_PATTERN } from '@iotmon/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

/** Body of POST /sensor-kinds; min < max and the default rules are checked by the service. */
export class CreateSensorKindDto {
  @ApiProperty({
    description: 'Id: a-z, 0-9 and _, starting with a letter, 1-32 characters',
    example: 'co2',
    pattern: '^[a-z][a-z0-9_]{0,31}$',
  })
  @IsString()
  @Matches(SENSOR_KIND_ID_PATTERN, {
    message: 'must be a-z, 0-9 and _, starting with a letter, 1-32 characters',
  })
  id!: string;

  @ApiProperty({ example: 'CO₂', minLength: 1, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  displayName!: string;

  @ApiProperty({ example: 'ppm', minLength: 1, maxLength: 16 })
  @IsString()
  @Length(1, 16)
  unit!: string;

  @ApiProperty({ description: 'Lowest valid value', example: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  min!: number;

  @ApiProperty({ description: 'Highest valid value; must be greater than min', example: 10000 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  max!: number;

  @ApiPropertyOptional({
    description: 'Digits after the decimal point, 0-6',
    example: 0,
    default: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(6)
  decimals?: number;

  @ApiPropertyOptional({
    description:
      'Rules of the default rule set for this kind (rules of config.schema.json without sensor and devices), at most 32',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [
      {
        id: 'co2_high',
        severity: 'warning',
        kind: 'hysteresis',
        direction: 'above',
        raiseAt: 1400,
        clearAt: 1000,
      },
    ],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsObject({ each: true })
  defaultRules?: Record<string, unknown>[];
}
