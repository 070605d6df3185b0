import { DEVICE_ID_PATTERN, SENSOR_KIND_ID_PATTERN, type SensorKind } from '@iotmon/domain';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsNumberString,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

export class CreateRuleSetDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name!: string;

  /** A rule set as libs/constraints validates it (`{ version: 1, rules: [...] }`). */
  @IsObject()
  ruleSet!: Record<string, unknown>;
}

export class UpdateRuleSetDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name?: string;

  @IsObject()
  ruleSet!: Record<string, unknown>;
}

/** Replaces the devices and sensor kinds this set is assigned to. */
export class AssignRuleSetDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(DEVICE_ID_PATTERN, { each: true, message: 'each devices entry must be a device id' })
  devices?: string[];

  @IsOptional()
  @IsArray()
  @Matches(SENSOR_KIND_ID_PATTERN, {
    each: true,
    message: 'each entry must be a sensor kind id (a-z, 0-9 and _, see GET /sensor-kinds)',
  })
  sensors?: SensorKind[];
}

export class RuleSetIdParam {
  @IsNumberString({ no_symbols: true }, { message: 'id must be a rule set id (digits)' })
  @MaxLength(19)
  id!: string;
}
