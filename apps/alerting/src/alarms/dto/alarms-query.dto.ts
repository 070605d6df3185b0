import {
  DEVICE_ID_PATTERN,
  SENSOR_KIND_ID_PATTERN,
  SEVERITIES,
  type AlarmState,
  type SensorKind,
  type Severity,
} from '@iotmon/domain';
import { Transform, Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsNumberString,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ALARM_STATES } from '../alarm-view';

/** `state=active,acknowledged` and `state=active&state=acknowledged` both work. */
const list = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean);

export class AlarmsQueryDto {
  /** Only episodes in these states (comma-separated). */
  @IsOptional()
  @Transform(list)
  @IsIn(ALARM_STATES, { each: true })
  state?: AlarmState[];

  /** Only these severities (comma-separated). */
  @IsOptional()
  @Transform(list)
  @IsIn(SEVERITIES, { each: true })
  severity?: Severity[];

  @IsOptional()
  @Matches(DEVICE_ID_PATTERN, { message: 'deviceId must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  deviceId?: string;

  @IsOptional()
  @Matches(SENSOR_KIND_ID_PATTERN, {
    message: 'must be a sensor kind id (a-z, 0-9 and _, see GET /sensor-kinds)',
  })
  sensor?: SensorKind;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  ruleId?: string;

  /** Episodes still open at or cleared after this time (ISO-8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO-8601 date' })
  from?: Date;

  /** Episodes that started before this time (ISO-8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO-8601 date' })
  to?: Date;

  /** Keyset cursor: the `nextCursor` of the previous page. */
  @IsOptional()
  @IsNumberString({ no_symbols: true }, { message: 'before must be an alarm id' })
  before?: string;

  /** Page size, 1-500, newest first. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;
}
