/** A sensor kind as the api returns it (GET /sensor-kinds). */
import { ApiProperty } from '@nestjs/swagger';

export class SensorKindDto {
  @ApiProperty({
    description: 'Id: a-z, 0-9 and _, starting with a letter, 1-32 characters',
    example: 'co2',
    pattern: '^[a-z][a-z0-9_]{0,31}$',
  })
  id!: string;

  @ApiProperty({ example: 'CO₂', maxLength: 64 })
  displayName!: string;

  @ApiProperty({ example: 'ppm', maxLength: 16 })
  unit!: string;

  @ApiProperty({ description: 'Lowest valid value (readings below are refused)', example: 0 })
  min!: number;

  @ApiProperty({ description: 'Highest valid value, greater than min', example: 10000 })
  max!: number;

  @ApiProperty({ description: 'Digits after the decimal point to show', example: 0 })
  decimals!: number;

  @ApiProperty({
    description:
      "Rules of the default rule set for this kind: rules of config.schema.json without `sensor` and `devices` (the kind's id is the sensor)",
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
  defaultRules!: Record<string, unknown>[];
}
