import { DEVICE_ID_PATTERN, SEVERITIES, type Severity } from '@iotmon/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsNumberString,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { AlarmChange } from '../../alarms/alarm-view';
import { NOTIFIABLE_CHANGES } from '../notification-outbox';

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export class QuietHoursDto {
  /** Start, local time "HH:MM". */
  @Matches(CLOCK, { message: 'quietHours.from must be HH:MM' })
  from!: string;

  /** End (exclusive), local time "HH:MM"; may be earlier than `from` (overnight). */
  @Matches(CLOCK, { message: 'quietHours.to must be HH:MM' })
  to!: string;

  /** IANA time zone, default UTC. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;
}

export class CreateWebhookDto {
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2048)
  url!: string;

  /** HMAC secret (16-256 chars); generated and returned once when omitted. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  secret?: string;

  @IsOptional()
  @ArrayMinSize(1)
  @IsIn(SEVERITIES, { each: true })
  severities?: Severity[];

  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Matches(DEVICE_ID_PATTERN, { each: true, message: 'each deviceIds entry must be a device id' })
  deviceIds?: string[];

  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  ruleIds?: string[];

  /** Alarm changes to notify; default raised, escalated, cleared. */
  @IsOptional()
  @ArrayMinSize(1)
  @IsIn(NOTIFIABLE_CHANGES, { each: true })
  changes?: AlarmChange[];

  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookIdParam {
  @IsNumberString({ no_symbols: true }, { message: 'id must be a subscription id (digits)' })
  @MaxLength(19)
  id!: string;
}

export class DeliveriesQueryDto {
  @IsOptional()
  @IsIn(['pending', 'sending', 'delivered', 'dead'])
  status?: 'pending' | 'sending' | 'delivered' | 'dead';
}
