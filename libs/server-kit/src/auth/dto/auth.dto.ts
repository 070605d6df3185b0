import { Type } from 'class-transformer';
import {
  IsBoolean,
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
  MinLength,
} from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from '../passwords';
import { ROLES, type Role } from '../roles';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class LoginDto {
  @IsString()
  @MaxLength(64)
  username!: string;

  @IsString()
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

export class RefreshDto {
  /** The refresh token; the dashboard sends it as its HttpOnly cookie instead. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  refreshToken?: string;
}

export class CreateUserDto {
  @Matches(NAME, { message: 'username must be 1-64 letters, digits, _ . @ -' })
  username!: string;

  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password!: string;

  @IsIn(ROLES)
  role!: Role;
}

export class UpdateUserDto {
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password?: string;

  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class CreateApiKeyDto {
  @Matches(KEY_NAME, { message: 'name must be 1-64 letters, digits, _ . -' })
  name!: string;

  @IsIn(ROLES)
  role!: Role;
}

export class NumericIdParam {
  @IsNumberString({ no_symbols: true }, { message: 'id must be digits' })
  @MaxLength(19)
  id!: string;
}

export class AuditQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(140)
  actor?: string;

  /** An action (`alarm.acknowledge`) or a prefix (`alarm.` / `alarm.*`). */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9.-]{0,63}\*?$/, { message: 'action must be an action name or prefix' })
  action?: string;

  @IsOptional()
  @IsIn(['ok', 'denied', 'failed'])
  outcome?: 'ok' | 'denied' | 'failed';

  @IsOptional()
  @IsString()
  @MaxLength(200)
  target?: string;

  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO-8601 date' })
  from?: Date;

  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO-8601 date' })
  to?: Date;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsNumberString({ no_symbols: true }, { message: 'before must be an entry id' })
  @MaxLength(19)
  before?: string;
}
