import { DEVICE_ID_PATTERN } from '@iotmon/domain';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNumberString, IsOptional, Matches, MaxLength } from 'class-validator';

const bool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

export class LiveQueryDto {
  /** Send `reading` events (default true). */
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  readings?: boolean;

  /** Send `alarm` events (default true). */
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  alarms?: boolean;

  /** Only this device's readings and alarms. */
  @IsOptional()
  @Matches(DEVICE_ID_PATTERN, { message: 'deviceId must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  deviceId?: string;

  /** For clients that cannot set the Last-Event-ID header. */
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  @MaxLength(19)
  lastEventId?: string;
}
